; PHP. Capture vocabulary: parse/README.md.
; Variables are named without their `$` (`$x` defines and reads `x`), so definitions and reads agree.

; ---- namespace
(namespace_definition name: (_) @name) @package
(namespace_definition name: (_) @name body: (_) @body) @definition.namespace

; ---- types
(class_declaration name: (name) @name body: (_) @body) @definition.class
(class_declaration name: (name) @name (base_clause [(name) (qualified_name)] @extends) body: (_) @body) @definition.class
(class_declaration name: (name) @name (class_interface_clause [(name) (qualified_name)] @implements) body: (_) @body) @definition.class
(interface_declaration name: (name) @name body: (_) @body) @definition.interface
(interface_declaration name: (name) @name (base_clause [(name) (qualified_name)] @extends) body: (_) @body) @definition.interface
(trait_declaration name: (name) @name body: (_) @body) @definition.trait
(enum_declaration name: (name) @name body: (_) @body) @definition.enum
(enum_declaration name: (name) @name (class_interface_clause [(name) (qualified_name)] @implements) body: (_) @body) @definition.enum
(enum_case name: (name) @name value: (_)? @value) @definition.constant
; `use SomeTrait;` in a class body: the trait's methods become the class's.
(class_declaration name: (name) @name body: (declaration_list (use_declaration [(name) (qualified_name)] @implements)) @body) @definition.class

; ---- functions and members
(function_definition name: (name) @name return_type: (_)? @return_type body: (_) @body) @definition.function
(method_declaration name: (name) @name return_type: (_)? @return_type body: (_)? @body) @definition.method
(anonymous_function body: (_) @body) @definition.lambda
(arrow_function body: (_) @body) @definition.lambda

(property_declaration
  type: (_)? @type
  (property_element name: (variable_name (name) @name) default_value: (_)? @value) @definition.field)
(const_declaration (const_element (name) @name (_) @value) @definition.constant)

(simple_parameter type: (_)? @type name: (variable_name (name) @name)) @definition.parameter
(variadic_parameter type: (_)? @type name: (variable_name (name) @name)) @definition.parameter
(property_promotion_parameter type: (_)? @type name: (variable_name (name) @name)) @definition.parameter

(assignment_expression left: (variable_name (name) @name) right: (_) @value) @definition.variable
; `foreach ($xs as $k => $v)`: the key and the value; the value flows from the iterated expression.
(foreach_statement (pair (variable_name (name) @name) @definition.variable))
(foreach_statement . (_) . (variable_name (name) @name) @definition.variable)
(global_declaration (variable_name (name) @name) @definition.variable)
(static_variable_declaration name: (variable_name (name) @name) value: (_)? @value) @definition.variable

; ---- calls
(function_call_expression function: [(name) @name (qualified_name (name) @name) (relative_name (name) @name)] arguments: (_) @args) @reference.call
(member_call_expression object: (_) @receiver name: (name) @name arguments: (_) @args) @reference.call
(nullsafe_member_call_expression object: (_) @receiver name: (name) @name arguments: (_) @args) @reference.call
(scoped_call_expression scope: (_) @receiver name: (name) @name arguments: (_) @args) @reference.call
(object_creation_expression [(name) @name (qualified_name (name) @name) (relative_name (name) @name)] (arguments)? @args) @reference.new

; ---- references
((variable_name (name) @reference.identifier) (#not-eq? @reference.identifier "this"))
(scoped_call_expression scope: (name) @reference.identifier)
(class_constant_access_expression . (name) @reference.identifier)
(argument (name) @reference.identifier)
(binary_expression [left: (name) right: (name)] @reference.identifier)
(assignment_expression right: (name) @reference.identifier)
(return_statement (name) @reference.identifier)
(named_type (name) @reference.type)
(named_type (qualified_name (name) @reference.type))

; ---- imports (the adapter reads the clauses)
(namespace_use_declaration) @import

; ---- flows
(return_statement (_) @value) @return
(arrow_function body: (_) @value) @return
(assignment_expression left: (_) @left right: (_) @right) @assignment
(augmented_assignment_expression left: (_) @left right: (_) @right) @assignment
(foreach_statement . (_) @right . [(variable_name) @left (pair (_) . (variable_name) @left .)]) @assignment

(comment) @comment
