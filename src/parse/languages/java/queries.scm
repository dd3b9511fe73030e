; Java. Capture vocabulary: parse/README.md.
;
; Two rules shape these patterns:
; - The extractor builds a definition from the first match that finishes on its node, and later matches only
;   add extends/implements/decorators/types. Matches finish at their last capture, so every pattern of a
;   declaration that has a body or an initializer captures @body / @value too (or the signature and the
;   value flow would be lost when a shorter pattern, such as the decorator one, finishes first).
; - A declaration of one variable (`int c = 1;`) is captured on the whole declaration, so that its signature
;   keeps the modifiers and type; a declaration of several (`int a, b = 2;`) on each declarator.

; ---- types
(class_declaration name: (identifier) @name body: (_) @body) @definition.class
(class_declaration name: (identifier) @name superclass: (superclass (_) @extends) body: (_) @body) @definition.class
(class_declaration name: (identifier) @name interfaces: (super_interfaces (type_list (_) @implements)) body: (_) @body) @definition.class
(class_declaration (modifiers [(annotation) (marker_annotation)] @decorator) name: (identifier) @name body: (_) @body) @definition.class

(interface_declaration name: (identifier) @name body: (_) @body) @definition.interface
(interface_declaration name: (identifier) @name (extends_interfaces (type_list (_) @extends)) body: (_) @body) @definition.interface
(interface_declaration (modifiers [(annotation) (marker_annotation)] @decorator) name: (identifier) @name body: (_) @body) @definition.interface

(enum_declaration name: (identifier) @name body: (_) @body) @definition.enum
(enum_declaration name: (identifier) @name interfaces: (super_interfaces (type_list (_) @implements)) body: (_) @body) @definition.enum
(enum_declaration (modifiers [(annotation) (marker_annotation)] @decorator) name: (identifier) @name body: (_) @body) @definition.enum
(enum_body (enum_constant name: (identifier) @name body: (_)? @body) @definition.constant)

(record_declaration name: (identifier) @name body: (_) @body) @definition.class
(record_declaration name: (identifier) @name interfaces: (super_interfaces (type_list (_) @implements)) body: (_) @body) @definition.class
(record_declaration (modifiers [(annotation) (marker_annotation)] @decorator) name: (identifier) @name body: (_) @body) @definition.class
; Record components are the record's fields (their accessors are not separate definitions).
(record_declaration parameters: (formal_parameters (formal_parameter type: (_) @type name: (identifier) @name) @definition.field))

(annotation_type_declaration name: (identifier) @name body: (_) @body) @definition.interface
(annotation_type_declaration (modifiers [(annotation) (marker_annotation)] @decorator) name: (identifier) @name body: (_) @body) @definition.interface
(annotation_type_element_declaration type: (_) @return_type name: (identifier) @name) @definition.method

; An anonymous class (`new Runnable() { … }`) is a nameless implementation of its type, so that its methods
; do not become members of the enclosing method.
(object_creation_expression type: (_) @extends (class_body) @definition.impl)

; ---- methods and constructors
(method_declaration type: (_) @return_type name: (identifier) @name body: (_)? @body) @definition.method
(method_declaration (modifiers [(annotation) (marker_annotation)] @decorator) type: (_) @return_type name: (identifier) @name body: (_)? @body) @definition.method
(constructor_declaration name: (identifier) @name body: (_) @body) @definition.method
(constructor_declaration (modifiers [(annotation) (marker_annotation)] @decorator) name: (identifier) @name body: (_) @body) @definition.method
(compact_constructor_declaration name: (identifier) @name body: (_) @body) @definition.method

; ---- parameters (of methods, constructors and lambdas; record components are fields, above)
(method_declaration parameters: (formal_parameters (formal_parameter type: (_) @type name: (identifier) @name) @definition.parameter))
(constructor_declaration parameters: (formal_parameters (formal_parameter type: (_) @type name: (identifier) @name) @definition.parameter))
(lambda_expression parameters: (formal_parameters (formal_parameter type: (_) @type name: (identifier) @name) @definition.parameter))
(method_declaration parameters: (formal_parameters (spread_parameter [(type_identifier) (generic_type) (scoped_type_identifier) (array_type) (integral_type) (floating_point_type) (boolean_type)] @type (variable_declarator name: (identifier) @name)) @definition.parameter))
(constructor_declaration parameters: (formal_parameters (spread_parameter [(type_identifier) (generic_type) (scoped_type_identifier) (array_type) (integral_type) (floating_point_type) (boolean_type)] @type (variable_declarator name: (identifier) @name)) @definition.parameter))
(lambda_expression parameters: (identifier) @name @definition.parameter)
(lambda_expression parameters: (inferred_parameters (identifier) @name @definition.parameter))

; ---- lambdas
(lambda_expression body: (_) @body) @definition.lambda

; ---- fields: one declarator, then each of several
(field_declaration type: (_) @type . declarator: (variable_declarator name: (identifier) @name value: (_)? @value) .) @definition.field
(field_declaration (modifiers [(annotation) (marker_annotation)] @decorator) type: (_) @type . declarator: (variable_declarator name: (identifier) @name value: (_)? @value) .) @definition.field
(field_declaration type: (_) @type declarator: (variable_declarator name: (identifier) @name value: (_)? @value) @definition.field declarator: (variable_declarator))
(field_declaration type: (_) @type declarator: (variable_declarator) declarator: (variable_declarator name: (identifier) @name value: (_)? @value) @definition.field)

; Interface fields are implicitly static and final.
(constant_declaration type: (_) @type . declarator: (variable_declarator name: (identifier) @name value: (_)? @value) .) @definition.constant
(constant_declaration type: (_) @type declarator: (variable_declarator name: (identifier) @name value: (_)? @value) @definition.constant declarator: (variable_declarator))
(constant_declaration type: (_) @type declarator: (variable_declarator) declarator: (variable_declarator name: (identifier) @name value: (_)? @value) @definition.constant)

; ---- local variables: `var` gives no type (the initializer's constructor gives the init type)
(local_variable_declaration type: (_) . declarator: (variable_declarator name: (identifier) @name value: (_)? @value) .) @definition.variable
(local_variable_declaration type: (_) declarator: (variable_declarator name: (identifier) @name value: (_)? @value) @definition.variable declarator: (variable_declarator))
(local_variable_declaration type: (_) declarator: (variable_declarator) declarator: (variable_declarator name: (identifier) @name value: (_)? @value) @definition.variable)
((local_variable_declaration type: (_) @type . declarator: (variable_declarator name: (identifier) @name value: (_)? @value) .) @definition.variable (#not-eq? @type "var"))
((local_variable_declaration type: (_) @type declarator: (variable_declarator name: (identifier) @name value: (_)? @value) @definition.variable declarator: (variable_declarator)) (#not-eq? @type "var"))
((local_variable_declaration type: (_) @type declarator: (variable_declarator) declarator: (variable_declarator name: (identifier) @name value: (_)? @value) @definition.variable) (#not-eq? @type "var"))

(resource name: (identifier) @name value: (_) @value) @definition.variable
((resource type: (_) @type name: (identifier) @name value: (_) @value) @definition.variable (#not-eq? @type "var"))
(enhanced_for_statement name: (identifier) @name body: (_) @body) @definition.variable
((enhanced_for_statement type: (_) @type name: (identifier) @name body: (_) @body) @definition.variable (#not-eq? @type "var"))
(catch_formal_parameter (catch_type) @type name: (identifier) @name) @definition.variable
(instanceof_expression right: (_) @type name: (identifier) @name) @definition.variable

; ---- calls
(method_invocation object: (_) @receiver name: (identifier) @name arguments: (_) @args) @reference.call
(method_invocation !object name: (identifier) @name arguments: (_) @args) @reference.call
(explicit_constructor_invocation constructor: [(super) (this)] @name arguments: (_) @args) @reference.call
(object_creation_expression type: (type_identifier) @name arguments: (_) @args) @reference.new
(object_creation_expression type: (generic_type (type_identifier) @name) arguments: (_) @args) @reference.new
(object_creation_expression type: (scoped_type_identifier (_) @receiver . (type_identifier) @name .) arguments: (_) @args) @reference.new
(object_creation_expression type: (generic_type (scoped_type_identifier (_) @receiver . (type_identifier) @name .)) arguments: (_) @args) @reference.new

; ---- references: identifiers read as values (not member names after a dot, not declared names), types
(primary_expression/identifier) @reference.identifier
(assignment_expression left: (identifier) @reference.identifier)
((type_identifier) @reference.type (#not-eq? @reference.type "var"))

; ---- package and imports
(package_declaration [(identifier) (scoped_identifier)] @name) @package
(import_declaration) @import

; ---- flows
(return_statement (_) @value) @return
(lambda_expression body: (expression) @value) @return
(assignment_expression left: (_) @left right: (_) @right) @assignment

(line_comment) @comment
(block_comment) @comment
