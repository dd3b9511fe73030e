; Rust. Capture vocabulary: parse/README.md.
; Fields of a pattern are listed in the order the grammar produces them.

; ---- definitions
(mod_item name: (identifier) @name body: (_)? @body) @definition.module

(function_item name: (identifier) @name return_type: (_)? @return_type body: (_) @body) @definition.function
(function_signature_item name: (identifier) @name return_type: (_)? @return_type) @definition.function
(macro_definition name: (identifier) @name) @definition.function

(struct_item name: (type_identifier) @name body: (_)? @body) @definition.struct
(union_item name: (type_identifier) @name body: (_) @body) @definition.struct
(struct_item body: (field_declaration_list (field_declaration name: (field_identifier) @name type: (_) @type) @definition.field))
(union_item body: (field_declaration_list (field_declaration name: (field_identifier) @name type: (_) @type) @definition.field))

(enum_item name: (type_identifier) @name body: (_) @body) @definition.enum
(enum_variant name: (identifier) @name value: (_)? @value) @definition.constant

(trait_item name: (type_identifier) @name body: (_) @body) @definition.trait
(trait_item
  name: (type_identifier) @name
  bounds: (trait_bounds [(type_identifier) @extends (scoped_type_identifier) @extends (generic_type type: (_) @extends)])
  body: (_) @body) @definition.trait
(associated_type name: (type_identifier) @name) @definition.type_alias

; `impl Type` and `impl Trait for Type`: the receiver is the implemented type without generics or `&`.
(impl_item
  trait: (_)? @implements
  type: [
    (type_identifier) @receiver
    (scoped_type_identifier) @receiver
    (primitive_type) @receiver
    (generic_type type: (_) @receiver)
    (reference_type type: [(type_identifier) (scoped_type_identifier) (primitive_type)] @receiver)
    (reference_type type: (generic_type type: (_) @receiver))
    (array_type) @receiver
    (tuple_type) @receiver
    (pointer_type) @receiver
    (function_type) @receiver
    (dynamic_type) @receiver
    (bracketed_type) @receiver
  ]
  body: (_) @body) @definition.impl
; The functions of an impl also get its type as their receiver type (the extractor makes them methods).
(impl_item
  type: [
    (type_identifier) @receiver
    (scoped_type_identifier) @receiver
    (primitive_type) @receiver
    (generic_type type: (_) @receiver)
    (reference_type type: [(type_identifier) (scoped_type_identifier) (primitive_type)] @receiver)
    (reference_type type: (generic_type type: (_) @receiver))
    (array_type) @receiver
    (tuple_type) @receiver
    (pointer_type) @receiver
    (function_type) @receiver
    (dynamic_type) @receiver
    (bracketed_type) @receiver
  ]
  body: (declaration_list
    (function_item name: (identifier) @name return_type: (_)? @return_type body: (_) @body) @definition.function))

(const_item name: (identifier) @name type: (_)? @type value: (_)? @value) @definition.constant
(static_item name: (identifier) @name type: (_) @type value: (_)? @value) @definition.constant
(type_item name: (type_identifier) @name type: (_) @type) @definition.type_alias

(parameter pattern: [(identifier) @name (reference_pattern (identifier) @name)] type: (_)? @type) @definition.parameter
(parameter pattern: (tuple_pattern (identifier) @name @definition.parameter))
(closure_parameters (identifier) @name @definition.parameter)

(let_declaration pattern: (identifier) @name type: (_)? @type value: (_)? @value) @definition.variable
(let_declaration pattern: (tuple_pattern (identifier) @name @definition.variable))
(for_expression pattern: (identifier) @name @definition.variable)
(for_expression pattern: (tuple_pattern (identifier) @name @definition.variable))

(closure_expression return_type: (_)? @return_type body: (_) @body) @definition.lambda

; ---- calls
; The callee: `f`, `a::b::f` (the path is the receiver), `self::f` (a function of this module, not a method),
; `x.f`, each perhaps with a turbofish (`f::<T>`). One pattern per node type keeps the query quick to compile.
(call_expression
  function: [
    (identifier) @name
    (scoped_identifier
      path: [(identifier) (scoped_identifier) (crate) (super) (generic_type) (bracketed_type) (metavariable)] @receiver
      name: (identifier) @name)
    (scoped_identifier path: (self) name: (identifier) @name)
    (field_expression value: (_) @receiver field: (field_identifier) @name)
    (generic_function
      function: [
        (identifier) @name
        (scoped_identifier
          path: [(identifier) (scoped_identifier) (crate) (super) (generic_type) (bracketed_type) (metavariable)] @receiver
          name: (identifier) @name)
        (scoped_identifier path: (self) name: (identifier) @name)
        (field_expression value: (_) @receiver field: (field_identifier) @name)
      ])
  ]
  arguments: (_) @args) @reference.call
(macro_invocation
  macro: [(identifier) @name (scoped_identifier path: (_) @receiver name: (identifier) @name)]
  (token_tree) @args) @reference.call
(struct_expression
  name: [
    (type_identifier) @name
    (scoped_type_identifier path: (_) @receiver name: (type_identifier) @name)
    (generic_type_with_turbofish type: (type_identifier) @name)
  ]
  body: (_) @args) @reference.new

; ---- references
; Identifiers are captured where they are read: in expression and pattern positions, as callees, in shorthand
; field initializers, as tuple-struct pattern names and in macro arguments (token trees). So the segments of
; paths (`std::mem::take`, `use a::b`, `pub(in a)`, attribute paths), lifetimes and loop labels are no
; references. A callee is not an `_expression` in this grammar (`call_expression` takes a narrower rule).
(_expression/identifier) @reference.identifier
(_pattern/identifier) @reference.identifier
(call_expression function: (identifier) @reference.identifier)
(generic_function function: (identifier) @reference.identifier)
(shorthand_field_initializer (identifier) @reference.identifier)
(tuple_struct_pattern type: (identifier) @reference.identifier)
(macro_invocation macro: (identifier) @reference.identifier)
(token_tree (identifier) @reference.identifier)
(type_identifier) @reference.type

; ---- imports
(use_declaration) @import
(extern_crate_declaration) @import

; ---- flows
(return_expression (_) @value) @return
; The tail expression of a function that declares a return type, and of a closure.
((function_item return_type: (_) body: (block (_expression) @value .) @return)
  (#not-match? @value "^return\\b"))
((closure_expression body: (block (_expression) @value .) @return)
  (#not-match? @value "^return\\b"))
((closure_expression body: (_expression) @value) @return
  (#not-match? @value "^(\\{|'[A-Za-z_]\\w*:|return\\b)"))
(assignment_expression left: (_) @left right: (_) @right) @assignment
(compound_assignment_expr left: (_) @left right: (_) @right) @assignment

; No `@comment` captures: doc comments are read from the tree by the adapter (`///` comments end after their
; newline in this grammar, so the extractor's line-based pairing of comments and declarations misses them).
