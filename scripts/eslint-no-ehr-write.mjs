// ESLint rule `steward/no-ehr-write`: nothing writes to an EHR except the proposal applier.
// Refuses, in the files eslint.config.js applies it to (everything but the applier's folder, the
// channel implementation, the composition root and tests):
// - importing the writing side from @steward/ehr (FhirClient, the channels, GovernedEhr,
//   EhrChannel, EhrWriteChannel), type-only imports included;
// - calling a write method (create, update, patch, transaction, batch, write) on a value whose
//   type is one of those, however it was reached (e.g. `clients.byId(id)).client.client.update`);
// - taking `.writer` of a GovernedEhr.
// Known limits: it sees types, not data flow; a value cast to `any` or `unknown` first, or a
// write made by a raw `fetch` to the EHR's URL, is not caught (egress and review catch those).
const writingTypes = new Set([
  'FhirClient',
  'EhrChannel',
  'FhirR4Channel',
  'InMemoryEhrChannel',
  'EhrWriteChannel',
  'GovernedEhr',
]);
const writeMethods = new Set(['create', 'update', 'patch', 'transaction', 'batch', 'write']);
const fix = 'Workflows read through the governed EhrReader and draft a proposal; only the applier writes.';

/** The names of a type and, for a union or intersection, of its parts. */
function typeNames(type) {
  const parts = type.isUnionOrIntersection() ? type.types : [type];
  return parts.flatMap((t) => [t.getSymbol()?.getName(), t.aliasSymbol?.getName()].filter(Boolean));
}

/** @type {import('eslint').Rule.RuleModule} */
export const noEhrWrite = {
  meta: {
    type: 'problem',
    docs: { description: 'Nothing but the proposal applier writes to an EHR.' },
    schema: [],
    messages: {
      importWriter: '`{{name}}` can write to the EHR: only the proposal applier may hold it. {{fix}}',
      callWrite: '`{{method}}` on a {{type}} writes to the EHR: only the proposal applier may. {{fix}}',
      takeWriter: "GovernedEhr's writer is the proposal applier's alone. {{fix}}",
    },
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    const checker = services?.program?.getTypeChecker();
    const typeOf = (node) =>
      checker ? checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node)) : undefined;
    const writing = (node) => {
      const type = typeOf(node);
      return type === undefined ? undefined : typeNames(type).find((n) => writingTypes.has(n));
    };
    return {
      ImportDeclaration(node) {
        if (node.source.value !== '@steward/ehr') return;
        for (const s of node.specifiers) {
          const name = s.type === 'ImportSpecifier' ? (s.imported.name ?? s.imported.value) : undefined;
          if (name !== undefined && writingTypes.has(name))
            context.report({ node: s, messageId: 'importWriter', data: { name, fix } });
        }
      },
      'CallExpression > MemberExpression.callee'(node) {
        if (node.property.type !== 'Identifier' || !writeMethods.has(node.property.name)) return;
        const type = writing(node.object);
        if (type !== undefined)
          context.report({ node, messageId: 'callWrite', data: { method: node.property.name, type, fix } });
      },
      'MemberExpression[property.name="writer"]'(node) {
        if (writing(node.object) === 'GovernedEhr') context.report({ node, messageId: 'takeWriter', data: { fix } });
      },
    };
  },
};
