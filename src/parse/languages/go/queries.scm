; Go. Capture vocabulary: parse/README.md.
; Fields of a pattern are listed in the order the grammar produces them. The names of a var_spec or
; const_spec are matched without their field name: `name:` never matches the second name of a const_spec.
; Written for tree-sitter-go 0.25 (VS Code's build): `type_elem` and `method_elem` in interfaces (no
; `union_type`), `type_elem` around type arguments, `statement_list` in blocks, `var_spec_list` in `var (…)`.
; A declaration that names several identifiers (`a, b int`, `x, y := 1, 2`) gives one definition per
; identifier, on the identifier itself, and assignments that pair names with values by position (or give
; every name the one multi-valued value); a declaration of one name is the whole declaration, with its value.

(package_clause (package_identifier) @name) @package

; ---- functions, methods, lambdas
(function_declaration name: (identifier) @name result: (_)? @return_type body: (_)? @body) @definition.function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: (_) @receiver))
  name: (field_identifier) @name
  result: (_)? @return_type
  body: (_)? @body) @definition.method
(func_literal result: (_)? @return_type body: (_) @body) @definition.lambda

; Parameters, including the receiver (`s *Server`) and named results, of functions, methods, function literals
; and interface methods (not of function types such as `fn func(x int)`). Type parameters are not values.
(function_declaration (parameter_list (parameter_declaration . name: (identifier) @name . type: (_) @type) @definition.parameter))
(function_declaration (parameter_list (parameter_declaration name: (identifier) @name @definition.parameter . name: (identifier) type: (_) @type)))
(function_declaration (parameter_list (parameter_declaration name: (identifier) . name: (identifier) @name @definition.parameter type: (_) @type)))
(function_declaration (parameter_list (variadic_parameter_declaration name: (identifier) @name) @definition.parameter))
(method_declaration (parameter_list (parameter_declaration . name: (identifier) @name . type: (_) @type) @definition.parameter))
(method_declaration (parameter_list (parameter_declaration name: (identifier) @name @definition.parameter . name: (identifier) type: (_) @type)))
(method_declaration (parameter_list (parameter_declaration name: (identifier) . name: (identifier) @name @definition.parameter type: (_) @type)))
(method_declaration (parameter_list (variadic_parameter_declaration name: (identifier) @name) @definition.parameter))
(func_literal (parameter_list (parameter_declaration . name: (identifier) @name . type: (_) @type) @definition.parameter))
(func_literal (parameter_list (parameter_declaration name: (identifier) @name @definition.parameter . name: (identifier) type: (_) @type)))
(func_literal (parameter_list (parameter_declaration name: (identifier) . name: (identifier) @name @definition.parameter type: (_) @type)))
(func_literal (parameter_list (variadic_parameter_declaration name: (identifier) @name) @definition.parameter))
(type_spec type: (interface_type (method_elem (parameter_list (parameter_declaration . name: (identifier) @name . type: (_) @type) @definition.parameter))))
(type_spec type: (interface_type (method_elem (parameter_list (parameter_declaration name: (identifier) @name @definition.parameter . name: (identifier) type: (_) @type)))))
(type_spec type: (interface_type (method_elem (parameter_list (parameter_declaration name: (identifier) . name: (identifier) @name @definition.parameter type: (_) @type)))))
(type_spec type: (interface_type (method_elem (parameter_list (variadic_parameter_declaration name: (identifier) @name) @definition.parameter))))

; ---- types
(type_spec name: (type_identifier) @name type: (struct_type (field_declaration_list) @body)) @definition.struct
(type_spec
  name: (type_identifier) @name
  type: (struct_type (field_declaration_list
    (field_declaration !name type: [(type_identifier) @extends (qualified_type) @extends (generic_type type: (_) @extends)])) @body)) @definition.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface
(type_spec
  name: (type_identifier) @name
  type: (interface_type (type_elem . [(type_identifier) @extends (qualified_type) @extends (generic_type type: (_) @extends)] .))) @definition.interface
(type_spec
  name: (type_identifier) @name
  type: [
    (type_identifier) (qualified_type) (generic_type) (pointer_type) (slice_type) (array_type) (map_type)
    (channel_type) (function_type) (parenthesized_type) (negated_type)
  ] @type) @definition.type_alias
(type_alias name: (type_identifier) @name type: (_) @type) @definition.type_alias

(type_spec
  type: (interface_type (method_elem name: (field_identifier) @name result: (_)? @return_type) @definition.method))

; Fields of named struct types (the fields of anonymous structs, as in table-driven tests, are not members).
(type_spec type: (struct_type (field_declaration_list
  (field_declaration . name: (field_identifier) @name . type: (_) @type) @definition.field)))
(type_spec type: (struct_type (field_declaration_list
  (field_declaration name: (field_identifier) @name @definition.field . name: (field_identifier) type: (_) @type))))
(type_spec type: (struct_type (field_declaration_list
  (field_declaration name: (field_identifier) . name: (field_identifier) @name @definition.field type: (_) @type))))

; ---- variables and constants
; One name: the spec is the definition; with one value, that value is its initializer.
(var_spec . (identifier) @name . value: (expression_list . (_) @value .)) @definition.variable
(var_spec . (identifier) @name . type: (_) @type . value: (expression_list . (_) @value .)) @definition.variable
(var_spec . (identifier) @name . type: (_) @type .) @definition.variable
(const_spec . (identifier) @name . value: (expression_list . (_) @value .)) @definition.constant
(const_spec . (identifier) @name . type: (_) @type . value: (expression_list . (_) @value .)) @definition.constant
(const_spec . (identifier) @name .) @definition.constant
(const_spec . (identifier) @name . type: (_) @type .) @definition.constant
; Several names: one definition per name, without initializer (values become assignments, below).
(var_spec (identifier) @name @definition.variable . (identifier) type: (_)? @type)
(var_spec (identifier) . (identifier) @name @definition.variable type: (_)? @type)
(const_spec (identifier) @name @definition.constant . (identifier) type: (_)? @type)
(const_spec (identifier) . (identifier) @name @definition.constant type: (_)? @type)

; `:=` with one name and one value.
(short_var_declaration
  left: (expression_list . (identifier) @name .)
  right: (expression_list . (_) @value .)) @definition.variable
; `a, b := …`: one definition per name, without initializer (values become assignments, below).
((short_var_declaration left: (expression_list (identifier) @name @definition.variable . (_)))
  (#not-eq? @name "_"))
((short_var_declaration left: (expression_list (_) . (identifier) @name @definition.variable))
  (#not-eq? @name "_"))
((range_clause left: (expression_list (identifier) @name @definition.variable))
  (#not-eq? @name "_"))

; ---- calls
; One pattern per node type, with the shapes of the callee as alternatives, keeps the query quick to compile.
; Calls with explicit type arguments: with one type argument this grammar cannot tell `F[T](a, b)` from an
; index expression (it parses `F[T]` as one, as it does `fns[i]`), and with one argument it parses `F[T](a)`
; and `pkg.F[T, U](a)` as conversions to a generic type (whose lone operand is no argument list to capture).
(call_expression
  function: [
    (identifier) @name
    (selector_expression operand: (_) @receiver field: (field_identifier) @name)
    (index_expression operand: (identifier) @name index: [(identifier) (selector_expression)])
    (index_expression
      operand: (selector_expression operand: (_) @receiver field: (field_identifier) @name)
      index: [(identifier) (selector_expression)])
  ]
  arguments: (_) @args) @reference.call
(type_conversion_expression
  type: (generic_type
    type: [(type_identifier) @name (qualified_type package: (_) @receiver name: (type_identifier) @name)])) @reference.call
(composite_literal
  type: [
    (type_identifier) @name
    (qualified_type package: (_) @receiver name: (type_identifier) @name)
    (generic_type
      type: [(type_identifier) @name (qualified_type package: (_) @receiver name: (type_identifier) @name)])
  ]
  body: (_) @args) @reference.new

; ---- references
(identifier) @reference.identifier
(qualified_type) @reference.type
(type_identifier) @reference.type

; ---- imports
(import_declaration) @import

; ---- flows
(return_statement (expression_list) @value) @return
; Values of declarations with several names: paired by position, or all from one multi-valued expression.
((var_spec (identifier) @left . (identifier) value: (expression_list . (_) @right .)) @assignment
  (#not-eq? @left "_"))
((var_spec (identifier) . (identifier) @left value: (expression_list . (_) @right .)) @assignment
  (#not-eq? @left "_"))
((var_spec . (identifier) @left . (identifier) value: (expression_list . (_) @right . (_))) @assignment
  (#not-eq? @left "_"))
((var_spec . (identifier) . (identifier) @left value: (expression_list . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))
((var_spec . (identifier) . (identifier) . (identifier) @left value: (expression_list . (_) . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))
((const_spec . (identifier) @left . (identifier) value: (expression_list . (_) @right . (_))) @assignment
  (#not-eq? @left "_"))
((const_spec . (identifier) . (identifier) @left value: (expression_list . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))
((const_spec . (identifier) . (identifier) . (identifier) @left value: (expression_list . (_) . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))
((short_var_declaration left: (expression_list . (identifier) @left) right: (expression_list . (_) @right . (_))) @assignment
  (#not-eq? @left "_"))
((short_var_declaration left: (expression_list . (_) . (identifier) @left) right: (expression_list . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))
((short_var_declaration left: (expression_list . (_) . (_) . (identifier) @left) right: (expression_list . (_) . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))
((short_var_declaration
  left: (expression_list . (_) . (_) . (_) . (identifier) @left)
  right: (expression_list . (_) . (_) . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))
((short_var_declaration left: (expression_list (identifier) @left . (_)) right: (expression_list . (_) @right .)) @assignment
  (#not-eq? @left "_"))
((short_var_declaration left: (expression_list (_) . (identifier) @left) right: (expression_list . (_) @right .)) @assignment
  (#not-eq? @left "_"))
((assignment_statement left: (expression_list (_) @left . (_)) right: (expression_list . (_) @right .)) @assignment
  (#not-eq? @left "_"))
((assignment_statement left: (expression_list (_) . (_) @left) right: (expression_list . (_) @right .)) @assignment
  (#not-eq? @left "_"))
((assignment_statement
  left: (expression_list . (_) @left .)
  right: (expression_list . (_) @right .)) @assignment
  (#not-eq? @left "_"))
((assignment_statement
  left: (expression_list . (_) @left)
  right: (expression_list . (_) @right . (_))) @assignment
  (#not-eq? @left "_"))
((assignment_statement
  left: (expression_list . (_) . (_) @left)
  right: (expression_list . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))
((assignment_statement
  left: (expression_list . (_) . (_) . (_) @left)
  right: (expression_list . (_) . (_) . (_) @right)) @assignment
  (#not-eq? @left "_"))

(comment) @comment
