; C++ (the C patterns, adapted to the C++ grammar, plus classes, namespaces, templates and lambdas).
; Capture vocabulary: parse/README.md.
; Declarator names sit under pointer, reference, array and parenthesized declarators: the alternations
; below list the shapes that occur in practice (`x`, `*x`, `**x`, `&x`, `x[]`, `*x[]`, `(*x)(…)`).
; Templates need no pattern of their own: the declaration inside `template <…>` is matched as usual.

; ---- functions and methods
; `(_ (function_declarator …))` is a function declarator under a pointer or reference (`T *f()`, `T &f()`).
(function_definition
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)
    (_ (function_declarator declarator: [(identifier) (field_identifier) (operator_name)] @name))
  ]
  body: (_)? @body) @definition.function

; Out-of-class definitions: `void Foo::bar() {}` is method `bar` of `Foo` (and `a::Foo::bar` of `Foo`).
(function_definition
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: (qualified_identifier scope: (_) @receiver name: [(identifier) (destructor_name) (operator_name)] @name))
    (_ (function_declarator declarator: (qualified_identifier scope: (_) @receiver name: [(identifier) (operator_name)] @name)))
  ]
  body: (_)? @body) @definition.method
(function_definition
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: (qualified_identifier name: (qualified_identifier scope: (_) @receiver name: [(identifier) (destructor_name) (operator_name)] @name)))
    (_ (function_declarator declarator: (qualified_identifier name: (qualified_identifier scope: (_) @receiver name: [(identifier) (operator_name)] @name))))
  ]
  body: (_)? @body) @definition.method

; Prototypes, and constructors and destructors declared in a class.
(declaration
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)
    (_ (function_declarator declarator: [(identifier) (field_identifier) (operator_name)] @name))
  ]) @definition.function

; Methods declared in a class body.
(field_declaration
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)
    (_ (function_declarator declarator: [(identifier) (field_identifier) (operator_name)] @name))
  ]) @definition.function

(lambda_expression body: (_) @body) @definition.lambda

; ---- types
(namespace_definition name: (_) @name body: (_) @body) @definition.namespace

(class_specifier name: (_) @name body: (_) @body) @definition.class
(class_specifier name: (_) @name (base_class_clause [(type_identifier) (qualified_identifier) (template_type)] @extends) body: (_) @body) @definition.class
(struct_specifier name: (_) @name body: (_) @body) @definition.struct
(struct_specifier name: (_) @name (base_class_clause [(type_identifier) (qualified_identifier) (template_type)] @extends) body: (_) @body) @definition.struct
(union_specifier name: (_) @name body: (_) @body) @definition.struct
(enum_specifier name: (_) @name body: (_) @body) @definition.enum
(enumerator name: (identifier) @name value: (_)? @value) @definition.constant

; `typedef struct { … } name_t;`: the anonymous struct takes the typedef's name.
(type_definition type: (struct_specifier !name body: (_) @body) declarator: (type_identifier) @name) @definition.struct
(type_definition type: (union_specifier !name body: (_) @body) declarator: (type_identifier) @name) @definition.struct
(type_definition type: (enum_specifier !name body: (_) @body) declarator: (type_identifier) @name) @definition.enum

(type_definition
  type: [(type_identifier) (primitive_type) (sized_type_specifier) (qualified_identifier) (template_type)] @type
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
    (array_declarator declarator: (type_identifier) @name)
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (type_identifier) @name)))
  ]) @definition.type_alias
(type_definition
  type: [(struct_specifier name: (_) @type) (union_specifier name: (_) @type) (enum_specifier name: (_) @type)]
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
  ]) @definition.type_alias
(alias_declaration name: (type_identifier) @name type: (_) @type) @definition.type_alias

; ---- fields, parameters, variables
(field_declaration
  type: (_) @type
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (field_identifier) @name))
    (reference_declarator (field_identifier) @name)
    (array_declarator declarator: (field_identifier) @name)
    (pointer_declarator declarator: (array_declarator declarator: (field_identifier) @name))
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (field_identifier) @name)))
  ] @definition.field)

(parameter_declaration
  type: (_) @type
  declarator: [
    (identifier) @name
    (pointer_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (reference_declarator (identifier) @name)
    (reference_declarator (pointer_declarator declarator: (identifier) @name))
    (array_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (array_declarator declarator: (identifier) @name))
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (identifier) @name)))
  ]) @definition.parameter
(optional_parameter_declaration
  type: (_) @type
  declarator: [
    (identifier) @name
    (pointer_declarator declarator: (identifier) @name)
    (reference_declarator (identifier) @name)
  ]) @definition.parameter

(declaration
  type: (_) @type
  declarator: [
    (identifier) @name
    (pointer_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (reference_declarator (identifier) @name)
    (array_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (array_declarator declarator: (identifier) @name))
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (identifier) @name)))
  ] @definition.variable)
(declaration
  type: (_) @type
  declarator: (init_declarator
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (reference_declarator (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (pointer_declarator declarator: (array_declarator declarator: (identifier) @name))
      (function_declarator declarator: (parenthesized_declarator (pointer_declarator declarator: (identifier) @name)))
    ]
    value: (_) @value) @definition.variable)
(for_range_loop
  type: (_) @type
  declarator: [
    (identifier) @name
    (pointer_declarator declarator: (identifier) @name)
    (reference_declarator (identifier) @name)
  ] @definition.variable
  right: (_) @value)

; ---- macros
(preproc_def name: (identifier) @name) @definition.constant
(preproc_function_def name: (identifier) @name value: (_)? @body) @definition.function
(preproc_params (identifier) @name @definition.parameter)

; ---- calls
(call_expression function: (identifier) @name arguments: (_) @args) @reference.call
(call_expression function: (template_function name: (identifier) @name) arguments: (_) @args) @reference.call
(call_expression
  function: (field_expression
    argument: (_) @receiver
    field: [
      (field_identifier) @name
      (template_method name: (field_identifier) @name)
      (dependent_name (template_method name: (field_identifier) @name))
    ])
  arguments: (_) @args) @reference.call
; `a::f()`, `a::b::f()`, `a::b::c::f()`: the receiver is the innermost scope.
(call_expression
  function: (qualified_identifier
    scope: (_) @receiver
    name: [(identifier) @name (template_function name: (identifier) @name)])
  arguments: (_) @args) @reference.call
(call_expression
  function: (qualified_identifier
    name: (qualified_identifier
      scope: (_) @receiver
      name: [(identifier) @name (template_function name: (identifier) @name)]))
  arguments: (_) @args) @reference.call
(call_expression
  function: (qualified_identifier
    name: (qualified_identifier
      name: (qualified_identifier
        scope: (_) @receiver
        name: [(identifier) @name (template_function name: (identifier) @name)])))
  arguments: (_) @args) @reference.call
(call_expression function: (parenthesized_expression (pointer_expression argument: (identifier) @name)) arguments: (_) @args) @reference.call

(new_expression
  type: [
    (type_identifier) @name
    (template_type name: (type_identifier) @name)
    (qualified_identifier
      scope: (_) @receiver
      name: [(type_identifier) @name (template_type name: (type_identifier) @name)])
  ]
  arguments: (_)? @args) @reference.new

; ---- references
(identifier) @reference.identifier
(type_identifier) @reference.type

; ---- imports (the adapter reads them)
(preproc_include path: (_) @source) @import
(using_declaration) @import
(namespace_alias_definition) @import

; ---- flows
(return_statement (_) @value) @return
(assignment_expression left: (_) @left right: (_) @right) @assignment
; Default member initializers: `int count_ = 0;`.
(field_declaration declarator: (field_identifier) @left default_value: (_) @right) @assignment

(comment) @comment
