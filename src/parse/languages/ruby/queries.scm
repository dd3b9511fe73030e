; Ruby. Capture vocabulary: parse/README.md.

; ---- definitions
(class name: [(constant) @name (scope_resolution name: (_) @name)] superclass: (superclass (_) @extends)? body: (_)? @body) @definition.class
(module name: [(constant) @name (scope_resolution name: (_) @name)] body: (_)? @body) @definition.module
; Mixins: `include M` / `prepend M` in a class body give the class M's methods.
(class
  name: [(constant) @name (scope_resolution name: (_) @name)]
  body: (body_statement
    (call !receiver method: (identifier) @_mixin (#any-of? @_mixin "include" "prepend") arguments: (argument_list [(constant) (scope_resolution)] @implements))) @body) @definition.class

; A `def` directly in a module or in `class << self` is a method. These contextual patterns match before the
; generic one below (they start at an outer node), and the first match of a node decides its kind; a `def`
; in a class becomes a method by the extractor's rule.
(module body: (body_statement (method name: (_) @name parameters: (_)? body: (_)? @body) @definition.method))
(module body: (body_statement (call arguments: (argument_list (method name: (_) @name parameters: (_)? body: (_)? @body) @definition.method))))
(singleton_class body: (body_statement (method name: (_) @name parameters: (_)? body: (_)? @body) @definition.method))
(method name: (_) @name parameters: (_)? body: (_)? @body) @definition.function
(singleton_method name: (_) @name parameters: (_)? body: (_)? @body) @definition.method

(lambda body: (_) @body) @definition.lambda
(call block: [(block) (do_block)] @definition.lambda)

(method_parameters (identifier) @name @definition.parameter)
(block_parameters (identifier) @name @definition.parameter)
(lambda_parameters (identifier) @name @definition.parameter)
(optional_parameter name: (identifier) @name) @definition.parameter
(keyword_parameter name: (identifier) @name) @definition.parameter
(splat_parameter name: (identifier) @name) @definition.parameter
(hash_splat_parameter name: (identifier) @name) @definition.parameter
(block_parameter name: (identifier) @name) @definition.parameter

(assignment left: (identifier) @name right: (_) @value) @definition.variable
(assignment left: (left_assignment_list (identifier) @name @definition.variable))
(assignment left: (constant) @name right: (_) @value) @definition.constant

; ---- calls
; `Foo.new(…)` and `A::Foo.new(…)` construct Foo; every other `x.new` is a plain call.
(call receiver: (constant) @name method: (identifier) @_new (#eq? @_new "new") arguments: (_)? @args) @reference.new
(call receiver: (scope_resolution scope: (_) @receiver name: (constant) @name) method: (identifier) @_new (#eq? @_new "new") arguments: (_)? @args) @reference.new
(call
  receiver: [(identifier) (self) (instance_variable) (class_variable) (global_variable) (call) (parenthesized_statements) (element_reference)] @receiver
  method: (identifier) @name (#eq? @name "new")
  arguments: (_)? @args) @reference.call
(call receiver: (_) @receiver method: [(identifier) (constant) (operator)] @name (#not-eq? @name "new") arguments: (_)? @args) @reference.call
(call !receiver method: [(identifier) (constant)] @name arguments: (_)? @args) @reference.call
(call !receiver method: (super) @name arguments: (_)? @args) @reference.call

; ---- references
(identifier) @reference.identifier
(constant) @reference.identifier

; ---- imports (the adapter reads the path)
(call
  !receiver
  method: (identifier) @_require (#any-of? @_require "require" "require_relative" "load")
  arguments: (argument_list . (string))) @import

; ---- flows
(return (argument_list . (_) @value)) @return
; The last expression of a method is its value (and the body of an endless method `def f(x) = x`).
(method body: (body_statement [(identifier) (constant) (scope_resolution) (call) (binary) (unary) (instance_variable) (string) (array) (hash) (element_reference) (parenthesized_statements)] @value @return .))
(singleton_method body: (body_statement [(identifier) (constant) (scope_resolution) (call) (binary) (unary) (instance_variable) (string) (array) (hash) (element_reference) (parenthesized_statements)] @value @return .))
(method body: [(identifier) (constant) (call) (binary) (instance_variable) (string) (array) (hash)] @value @return)
(singleton_method body: [(identifier) (constant) (call) (binary) (instance_variable) (string) (array) (hash)] @value @return)
(assignment left: (_) @left right: (_) @right) @assignment
(operator_assignment left: (_) @left right: (_) @right) @assignment

(comment) @comment
