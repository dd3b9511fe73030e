; TypeScript and TSX. Capture vocabulary: parse/README.md.

; ---- definitions
(function_declaration name: (identifier) @name return_type: (_)? @return_type body: (_) @body) @definition.function
(generator_function_declaration name: (identifier) @name return_type: (_)? @return_type body: (_) @body) @definition.function
(function_signature name: (identifier) @name return_type: (_)? @return_type) @definition.function
(class_declaration name: (type_identifier) @name body: (_) @body) @definition.class
(abstract_class_declaration name: (type_identifier) @name body: (_) @body) @definition.class
(class name: (type_identifier) @name body: (_) @body) @definition.class
(class_declaration name: (type_identifier) @name (class_heritage (extends_clause value: (_) @extends))) @definition.class
(class_declaration name: (type_identifier) @name (class_heritage (implements_clause (_) @implements))) @definition.class
(abstract_class_declaration name: (type_identifier) @name (class_heritage (extends_clause value: (_) @extends))) @definition.class
(abstract_class_declaration name: (type_identifier) @name (class_heritage (implements_clause (_) @implements))) @definition.class
(interface_declaration name: (type_identifier) @name body: (_) @body) @definition.interface
(interface_declaration name: (type_identifier) @name (extends_type_clause (_) @extends)) @definition.interface
(enum_declaration name: (identifier) @name body: (_) @body) @definition.enum
(enum_body name: (property_identifier) @name @definition.constant)
(enum_body (enum_assignment name: (property_identifier) @name value: (_) @value) @definition.constant)
(type_alias_declaration name: (type_identifier) @name value: (_) @type) @definition.type_alias
(internal_module name: (_) @name body: (_) @body) @definition.namespace
(module name: (_) @name body: (_) @body) @definition.namespace

(method_definition name: (_) @name return_type: (_)? @return_type body: (_) @body) @definition.method
(method_signature name: (_) @name return_type: (_)? @return_type) @definition.method
(abstract_method_signature name: (_) @name return_type: (_)? @return_type) @definition.method
(public_field_definition name: (_) @name type: (_)? @type value: (_)? @value) @definition.field
(property_signature name: (_) @name type: (_)? @type) @definition.field
(decorator) @decorator

(required_parameter pattern: (identifier) @name type: (_)? @type) @definition.parameter
(optional_parameter pattern: (identifier) @name type: (_)? @type) @definition.parameter
(required_parameter pattern: (rest_pattern (identifier) @name) type: (_)? @type) @definition.parameter
; Destructured parameters are locals of the function (they have no position of their own).
(required_parameter pattern: (object_pattern (shorthand_property_identifier_pattern) @name @definition.variable))
(optional_parameter pattern: (object_pattern (shorthand_property_identifier_pattern) @name @definition.variable))
(required_parameter pattern: (object_pattern (pair_pattern value: (identifier) @name @definition.variable)))
(arrow_function parameter: (identifier) @name @definition.parameter)

(variable_declarator name: (identifier) @name type: (_)? @type value: (_)? @value) @definition.variable
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
; `await f<T>(x)` parses as a call of an await expression.
(call_expression function: (await_expression (identifier) @name) arguments: (_) @args) @reference.call
(call_expression function: (await_expression (member_expression object: (_) @receiver property: (_) @name)) arguments: (_) @args) @reference.call
(new_expression constructor: (identifier) @name arguments: (_)? @args) @reference.new
(new_expression constructor: (member_expression object: (_) @receiver property: (_) @name) arguments: (_)? @args) @reference.new

; ---- references
(identifier) @reference.identifier
(shorthand_property_identifier) @reference.identifier
(type_identifier) @reference.type

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

; ---- flows
(return_statement (_) @value) @return
(arrow_function body: (_) @value) @return
(assignment_expression left: (_) @left right: (_) @right) @assignment
(augmented_assignment_expression left: (_) @left right: (_) @right) @assignment

(comment) @comment
