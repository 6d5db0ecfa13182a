// One-letter names say nothing to the next reader, so variables, parameters and functions get a word.
// Allowed where the name lives for one expression or is a convention every reader knows:
//  - parameters of an arrow function whose body is a single expression: `(a, b) => a.rank - b.rank`;
//  - `i` and `j` declared in a `for (…; …; …)` header;
//  - `_` as a parameter: a position that is deliberately not used.
// Names in type-only signatures (interfaces, overloads, function types) are not checked.
'use strict';

const LOOP_COUNTERS = new Set(['i', 'j']);

/** The identifiers a binding pattern declares: `a`, `{ a, b: c }`, `[a, ...b]`, `a = 1`, `private a`. */
function boundIdentifiers(pattern) {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'Identifier':
      return [pattern];
    case 'ObjectPattern':
      return pattern.properties.flatMap((property) =>
        property.type === 'RestElement' ? boundIdentifiers(property.argument) : boundIdentifiers(property.value),
      );
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => boundIdentifiers(element));
    case 'RestElement':
      return boundIdentifiers(pattern.argument);
    case 'AssignmentPattern':
      return boundIdentifiers(pattern.left);
    case 'TSParameterProperty':
      return boundIdentifiers(pattern.parameter);
    default:
      return [];
  }
}

const isTinyLambda = (fn) => fn.type === 'ArrowFunctionExpression' && fn.body.type !== 'BlockStatement';

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Disallow one-letter variable, parameter and function names outside tiny lambdas and for-loop counters' },
    schema: [],
    messages: {
      variable: "Variable '{{name}}' needs a name that says what it holds.",
      parameter: "Parameter '{{name}}' needs a name that says what it is (one letter is fine only in a single-expression arrow function).",
      function: "Function '{{name}}' needs a name that says what it does.",
    },
  },
  create(context) {
    const check = (identifier, messageId) => {
      if (identifier.name.length === 1) context.report({ node: identifier, messageId, data: { name: identifier.name } });
    };
    const checkFunction = (fn) => {
      if (fn.id) check(fn.id, 'function');
      if (isTinyLambda(fn)) return;
      for (const param of fn.params) {
        for (const identifier of boundIdentifiers(param)) if (identifier.name !== '_') check(identifier, 'parameter');
      }
    };
    return {
      FunctionDeclaration: checkFunction,
      FunctionExpression: checkFunction,
      ArrowFunctionExpression: checkFunction,
      CatchClause(node) {
        for (const identifier of boundIdentifiers(node.param)) check(identifier, 'variable');
      },
      VariableDeclarator(node) {
        const declaration = node.parent;
        const inForHeader = declaration.parent.type === 'ForStatement' && declaration.parent.init === declaration;
        for (const identifier of boundIdentifiers(node.id)) {
          if (inForHeader && LOOP_COUNTERS.has(identifier.name)) continue;
          check(identifier, 'variable');
        }
      },
    };
  },
};
