; JavaScript with JSX. Capture vocabulary: parse/README.md.

; ---- definitions
(function_declaration name: (identifier) @name body: (_) @body) @definition.function
(generator_function_declaration name: (identifier) @name body: (_) @body) @definition.function
(class_declaration name: (identifier) @name body: (_) @body) @definition.class
(class_declaration name: (identifier) @name (class_heritage (_) @extends)) @definition.class
(class name: (identifier) @name body: (_) @body) @definition.class
(method_definition name: (_) @name body: (_) @body) @definition.method
(field_definition property: (_) @name value: (_)? @value) @definition.field
(decorator) @decorator

(formal_parameters (identifier) @name @definition.parameter)
(formal_parameters (assignment_pattern left: (identifier) @name) @definition.parameter)
(formal_parameters (rest_pattern (identifier) @name) @definition.parameter)
(formal_parameters (object_pattern (shorthand_property_identifier_pattern) @name @definition.variable))
(formal_parameters (object_pattern (pair_pattern value: (identifier) @name @definition.variable)))
(arrow_function parameter: (identifier) @name @definition.parameter)

(variable_declarator name: (identifier) @name value: (_)? @value) @definition.variable
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)] @definition.function)
(variable_declarator name: (object_pattern (shorthand_property_identifier_pattern) @name @definition.variable))
(variable_declarator name: (object_pattern (pair_pattern value: (identifier) @name @definition.variable)))
(variable_declarator name: (array_pattern (identifier) @name @definition.variable))
(for_in_statement left: (identifier) @name @definition.variable)
(arrow_function body: (_) @body) @definition.lambda
(function_expression body: (_) @body) @definition.lambda
(generator_function body: (_) @body) @definition.lambda
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)] @definition.function)

; ---- calls
(call_expression function: (identifier) @name arguments: (_) @args) @reference.call
(call_expression function: (member_expression object: (_) @receiver property: (_) @name) arguments: (_) @args) @reference.call
(call_expression function: (super) @name arguments: (_) @args) @reference.call
(new_expression constructor: (identifier) @name arguments: (_)? @args) @reference.new
(new_expression constructor: (member_expression object: (_) @receiver property: (_) @name) arguments: (_)? @args) @reference.new
(jsx_opening_element name: (identifier) @name (#match? @name "^[A-Z]")) @reference.call
(jsx_self_closing_element name: (identifier) @name (#match? @name "^[A-Z]")) @reference.call

; ---- references
(identifier) @reference.identifier
(shorthand_property_identifier) @reference.identifier

; ---- imports and exports
(import_statement (import_clause (identifier) @import.default) source: (string (string_fragment) @source)) @import
(import_statement (import_clause (namespace_import (identifier) @import.namespace)) source: (string (string_fragment) @source)) @import
(import_statement (import_clause (named_imports (import_specifier name: (_) @import.name alias: (_)? @import.alias))) source: (string (string_fragment) @source)) @import
(import_statement source: (string (string_fragment) @source)) @import
(export_statement (export_clause (export_specifier name: (_) @import.name alias: (_)? @import.alias)) source: (string (string_fragment) @source)) @reexport
(export_statement (namespace_export (_) @import.namespace) source: (string (string_fragment) @source)) @reexport
(export_statement "*" source: (string (string_fragment) @source)) @reexport
(export_statement (export_clause (export_specifier name: (_) @local alias: (_)? @alias)) !source) @export
(export_statement "default" (identifier) @local) @export
(export_statement "default" declaration: [(function_declaration name: (_) @local) (class_declaration name: (_) @local)]) @export
(variable_declarator name: (identifier) @import.namespace value: (call_expression function: (identifier) @_req (#eq? @_req "require") arguments: (arguments (string (string_fragment) @source)))) @import
(variable_declarator name: (object_pattern (shorthand_property_identifier_pattern) @import.name) value: (call_expression function: (identifier) @_req (#eq? @_req "require") arguments: (arguments (string (string_fragment) @source)))) @import
(variable_declarator name: (object_pattern (pair_pattern key: (_) @import.name value: (identifier) @import.alias)) value: (call_expression function: (identifier) @_req (#eq? @_req "require") arguments: (arguments (string (string_fragment) @source)))) @import
(assignment_expression left: (member_expression object: (identifier) @_m property: (property_identifier) @_e (#eq? @_m "module") (#eq? @_e "exports")) right: (object [(shorthand_property_identifier) @local (pair key: (property_identifier) @alias value: (identifier) @local)])) @export

; ---- flows
(return_statement (_) @value) @return
(arrow_function body: (_) @value) @return
(assignment_expression left: (_) @left right: (_) @right) @assignment
(augmented_assignment_expression left: (_) @left right: (_) @right) @assignment

(comment) @comment
