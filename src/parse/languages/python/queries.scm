; Python. Capture vocabulary: parse/README.md.

; ---- definitions
(class_definition name: (identifier) @name body: (_) @body) @definition.class
(class_definition name: (identifier) @name superclasses: (argument_list [(identifier) (attribute)] @extends)) @definition.class
(function_definition name: (identifier) @name return_type: (_)? @return_type body: (_) @body) @definition.function
(decorated_definition (decorator) @decorator definition: (function_definition name: (identifier) @name) @definition.function)
(decorated_definition (decorator) @decorator definition: (class_definition name: (identifier) @name) @definition.class)
(lambda body: (_) @body) @definition.lambda

(parameters (identifier) @name @definition.parameter)
(parameters (typed_parameter (identifier) @name type: (_) @type) @definition.parameter)
(parameters (default_parameter name: (identifier) @name) @definition.parameter)
(parameters (typed_default_parameter name: (identifier) @name type: (_) @type) @definition.parameter)
(parameters (list_splat_pattern (identifier) @name) @definition.parameter)
(parameters (dictionary_splat_pattern (identifier) @name) @definition.parameter)
(lambda_parameters (identifier) @name @definition.parameter)

(assignment left: (identifier) @name type: (_)? @type right: (_)? @value) @definition.variable
(assignment left: (pattern_list (identifier) @name)) @definition.variable
(assignment left: (tuple_pattern (identifier) @name)) @definition.variable
(for_statement left: (identifier) @name) @definition.variable
(with_item value: (as_pattern alias: (as_pattern_target (identifier) @name))) @definition.variable
(global_statement (identifier) @reference.identifier)

; ---- calls
(call function: (identifier) @name arguments: (_) @args) @reference.call
(call function: (attribute object: (_) @receiver attribute: (identifier) @name) arguments: (_) @args) @reference.call

; ---- references
(identifier) @reference.identifier
(type (identifier) @reference.type)

; ---- imports
(import_statement) @import
(import_from_statement) @import
(future_import_statement) @import

; ---- flows
(return_statement (_) @value) @return
(lambda body: (_) @value) @return
(assignment left: (_) @left right: (_) @right) @assignment
(augmented_assignment left: (_) @left right: (_) @right) @assignment

(comment) @comment
