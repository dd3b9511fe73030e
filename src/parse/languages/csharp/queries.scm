; C#. Capture vocabulary: parse/README.md.
;
; Two rules shape these patterns:
; - The extractor builds a definition from the first match that finishes on its node, and later matches only
;   add extends/implements/decorators/types. Matches finish at their last capture, so every pattern of a
;   declaration that has a body or an initializer captures @body / @value too.
; - A declaration of one variable (`int c = 1;`) is captured on the whole declaration, so that its signature
;   keeps the modifiers and type; a declaration of several (`int a, b = 2;`) on each declarator.
;
; Base lists: the syntax cannot tell a base class from an interface. For classes and records the first base
; is @extends and the others @implements; every base of an interface is @extends, of a struct @implements.
; A class's bases are `type` nodes, the first one maybe followed by its primary-constructor arguments
; (`class B(int x) : A(x), I`), hence `(type)`; a record's are plain names or a primary_constructor_base_type.

; ---- namespaces
(namespace_declaration name: (_) @name body: (_) @body) @definition.namespace
; A file-scoped namespace (`namespace A.B;`) holds the rest of the file, but its node ends at the `;` (its members
; are its siblings): the namespace definition is the whole compilation unit, so that the members nest in it.
(compilation_unit (file_scoped_namespace_declaration name: (_) @name)) @definition.namespace
(namespace_declaration name: (_) @name) @package
(file_scoped_namespace_declaration name: (_) @name) @package

; ---- types
(class_declaration name: (identifier) @name body: (_) @body) @definition.class
(class_declaration name: (identifier) @name (base_list . (type) @extends) body: (_) @body) @definition.class
(class_declaration name: (identifier) @name (base_list (_) (type) @implements) body: (_) @body) @definition.class
(class_declaration (attribute_list (attribute) @decorator) name: (identifier) @name body: (_) @body) @definition.class

(struct_declaration name: (identifier) @name body: (_) @body) @definition.struct
(struct_declaration name: (identifier) @name (base_list (_) @implements) body: (_) @body) @definition.struct
(struct_declaration (attribute_list (attribute) @decorator) name: (identifier) @name body: (_) @body) @definition.struct

(interface_declaration name: (identifier) @name body: (_) @body) @definition.interface
(interface_declaration name: (identifier) @name (base_list (_) @extends) body: (_) @body) @definition.interface
(interface_declaration (attribute_list (attribute) @decorator) name: (identifier) @name body: (_) @body) @definition.interface

(enum_declaration name: (identifier) @name body: (_) @body) @definition.enum
(enum_declaration (attribute_list (attribute) @decorator) name: (identifier) @name body: (_) @body) @definition.enum
(enum_member_declaration name: (identifier) @name value: (_)? @value) @definition.constant

; A record's body is optional (`record P(int X);`).
(record_declaration name: (identifier) @name body: (_)? @body) @definition.class
(record_declaration name: (identifier) @name (base_list . [(identifier) (generic_name) (qualified_name)] @extends) body: (_)? @body) @definition.class
(record_declaration name: (identifier) @name (base_list . (primary_constructor_base_type type: (_) @extends)) body: (_)? @body) @definition.class
(record_declaration name: (identifier) @name (base_list (_) (_) @implements) body: (_)? @body) @definition.class
(record_declaration (attribute_list (attribute) @decorator) name: (identifier) @name body: (_)? @body) @definition.class
; Positional record parameters are the record's properties.
(record_declaration (parameter_list (parameter type: (_) @type name: (identifier) @name) @definition.field))

(delegate_declaration name: (identifier) @name) @definition.type_alias

; ---- methods, constructors, properties, fields
(method_declaration returns: (_) @return_type name: (identifier) @name body: (_)? @body) @definition.method
(method_declaration (attribute_list (attribute) @decorator) returns: (_) @return_type name: (identifier) @name body: (_)? @body) @definition.method
(constructor_declaration name: (identifier) @name body: (_)? @body) @definition.method
(constructor_declaration (attribute_list (attribute) @decorator) name: (identifier) @name body: (_)? @body) @definition.method
(local_function_statement type: (_) @return_type name: (identifier) @name body: (_)? @body) @definition.function
; An operator is a method named by its token (`+`); conversion operators, indexers and destructors are not captured.
(operator_declaration type: (_) @return_type operator: _ @name body: (_)? @body) @definition.method

(property_declaration type: (_) @type name: (identifier) @name value: (_)? @value) @definition.field
(property_declaration (attribute_list (attribute) @decorator) type: (_) @type name: (identifier) @name value: (_)? @value) @definition.field

(field_declaration (variable_declaration type: (_) @type . (variable_declarator name: (identifier) @name (_)? @value .) .)) @definition.field
(field_declaration (attribute_list (attribute) @decorator) (variable_declaration type: (_) @type . (variable_declarator name: (identifier) @name (_)? @value .) .)) @definition.field
(field_declaration (variable_declaration type: (_) @type (variable_declarator name: (identifier) @name (_)? @value .) @definition.field (variable_declarator)))
(field_declaration (variable_declaration type: (_) @type (variable_declarator) (variable_declarator name: (identifier) @name (_)? @value .) @definition.field))
(event_field_declaration (variable_declaration type: (_) @type . (variable_declarator name: (identifier) @name) .)) @definition.field

; ---- parameters (of methods, constructors, local functions, lambdas, operators, indexers)
(method_declaration parameters: (parameter_list (parameter type: (_) @type name: (identifier) @name) @definition.parameter))
(constructor_declaration parameters: (parameter_list (parameter type: (_) @type name: (identifier) @name) @definition.parameter))
(local_function_statement parameters: (parameter_list (parameter type: (_) @type name: (identifier) @name) @definition.parameter))
(operator_declaration parameters: (parameter_list (parameter type: (_) @type name: (identifier) @name) @definition.parameter))
(anonymous_method_expression parameters: (parameter_list (parameter type: (_) @type name: (identifier) @name) @definition.parameter))
(lambda_expression parameters: (parameter_list (parameter type: (_)? @type name: (identifier) @name) @definition.parameter))
(lambda_expression parameters: (implicit_parameter) @name @definition.parameter)
; `params T[] rest` is parsed as a type and a name directly in the list.
(method_declaration parameters: (parameter_list type: (_) @type . name: (identifier) @name @definition.parameter))
(constructor_declaration parameters: (parameter_list type: (_) @type . name: (identifier) @name @definition.parameter))
(local_function_statement parameters: (parameter_list type: (_) @type . name: (identifier) @name @definition.parameter))

; ---- lambdas
(lambda_expression body: (_) @body) @definition.lambda
(anonymous_method_expression (block) @body) @definition.lambda

; ---- local variables: `var` gives no type (the initializer's constructor gives the init type): the patterns with a
; @type skip it with `#not-eq?` (its node is an implicit_type), the patterns without one name every variable.
(local_declaration_statement (variable_declaration type: (_) . (variable_declarator name: (identifier) @name (_)? @value .) .)) @definition.variable
(local_declaration_statement (variable_declaration type: (_) (variable_declarator name: (identifier) @name (_)? @value .) @definition.variable (variable_declarator)))
(local_declaration_statement (variable_declaration type: (_) (variable_declarator) (variable_declarator name: (identifier) @name (_)? @value .) @definition.variable))
(local_declaration_statement (variable_declaration type: (_) @type . (variable_declarator name: (identifier) @name (_)? @value .) .) (#not-eq? @type "var")) @definition.variable
(local_declaration_statement (variable_declaration type: (_) @type (variable_declarator name: (identifier) @name (_)? @value .) @definition.variable (variable_declarator)) (#not-eq? @type "var"))
(local_declaration_statement (variable_declaration type: (_) @type (variable_declarator) (variable_declarator name: (identifier) @name (_)? @value .) @definition.variable) (#not-eq? @type "var"))
(using_statement (variable_declaration (variable_declarator name: (identifier) @name (_)? @value .) @definition.variable))
(for_statement (variable_declaration (variable_declarator name: (identifier) @name (_)? @value .) @definition.variable))
(foreach_statement left: (identifier) @name body: (_) @body) @definition.variable
(foreach_statement type: (_) @type left: (identifier) @name body: (_) @body (#not-eq? @type "var")) @definition.variable
(catch_declaration type: (_) @type name: (identifier) @name) @definition.variable
(declaration_expression name: (identifier) @name) @definition.variable
(declaration_expression type: (_) @type name: (identifier) @name (#not-eq? @type "var")) @definition.variable
(declaration_pattern type: (_) @type name: (identifier) @name) @definition.variable

; ---- calls
(invocation_expression function: (identifier) @name arguments: (_) @args) @reference.call
(invocation_expression function: (generic_name . (identifier) @name) arguments: (_) @args) @reference.call
(invocation_expression function: (member_access_expression expression: _ @receiver name: [(identifier) @name (generic_name . (identifier) @name)]) arguments: (_) @args) @reference.call
(invocation_expression function: (conditional_access_expression condition: (_) @receiver (member_binding_expression name: [(identifier) @name (generic_name . (identifier) @name)])) arguments: (_) @args) @reference.call
(constructor_initializer ["base" "this"] @name @reference.call (argument_list) @args)
(object_creation_expression type: (identifier) @name arguments: (_)? @args) @reference.new
(object_creation_expression type: (generic_name . (identifier) @name) arguments: (_)? @args) @reference.new
(object_creation_expression type: (qualified_name qualifier: (_) @receiver name: [(identifier) @name (generic_name . (identifier) @name)]) arguments: (_)? @args) @reference.new
; `T x = new(…)`: the declared type is the constructed one.
(variable_declaration type: [(identifier) @name (generic_name . (identifier) @name)] (variable_declarator (implicit_object_creation_expression (argument_list) @args) @reference.new))

; ---- references: identifiers read as values (not member names after a dot, not declared names), types
(lvalue_expression/identifier) @reference.identifier
(type/identifier) @reference.type
(type/generic_name . (identifier) @reference.type)
(type/qualified_name name: (identifier) @reference.type)

; ---- imports
(using_directive) @import

; ---- flows
(return_statement (_) @value) @return
(method_declaration body: (arrow_expression_clause (_) @value) @return)
(local_function_statement body: (arrow_expression_clause (_) @value) @return)
(operator_declaration body: (arrow_expression_clause (_) @value) @return)
(lambda_expression body: (expression) @value) @return
(assignment_expression left: (_) @left right: (_) @right) @assignment

(comment) @comment
