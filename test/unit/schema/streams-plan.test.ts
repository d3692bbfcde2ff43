/**
 * Which `streams` selections the fast path prints itself (streams-plan.ts): those whose every error reaches
 * `streams` through non-null types, merged by response key as graphql-js merges them. Anything else is left
 * to the executor, so a wrong "printable" could change an answer, and a wrong "not printable" only costs time.
 */
import { type FieldNode, type FragmentDefinitionNode, type GraphQLObjectType, Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../../src/schema/index.js';
import { type PlannedField, planStreams } from '../../../src/schema/streams-plan.js';

const stream = schema.getType('Stream') as GraphQLObjectType;

function plan(selection: string, fragments = '') {
  const document = parse(
    `{ callQuality(appId: "a", roomId: "r", userIds: ["u"]) { streams ${selection} } } ${fragments}`,
  );
  const definitions = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operation = document.definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
  const callQuality = operation.selectionSet.selections[0] as FieldNode;
  const streams = callQuality.selectionSet?.selections[0] as FieldNode;
  return planStreams(stream, [streams], definitions);
}

/** A plan as response keys, nested: what the printer will write, in order. */
const keys = (fields: readonly PlannedField[]): unknown[] =>
  fields.map((field) => ('fields' in field ? { [field.key]: keys(field.fields) } : field.key));

describe('the streams plan', () => {
  it('merges fields by response key in the order the executor does, fragments inlined', () => {
    const planned = plan(
      `{ peerId m: metrics { name } ...F ... on Stream { m: metrics { series(step: 60) { values } } }
         ... { __typename } direction }`,
      'fragment F on Stream { direction m: metrics { unit series { times } } }',
    );
    expect(planned && keys(planned.fields)).toEqual([
      'peerId',
      { m: ['name', 'unit', { series: ['times', 'values'] }] },
      'direction',
      '__typename',
    ]);
  });

  it.each([
    ['a directive', '{ direction @include(if: true) }'],
    ['a directive on a fragment', '{ ... @skip(if: false) { direction } }'],
    ['a nullable field, whose error would stay there', '{ metric(name: "Rtt") { name } }'],
    ['quality', '{ quality { score } }'],
    ['incidents', '{ incidents { kind } }'],
    ['a summary', '{ metrics { summary { avg } } }'],
    ['points', '{ metrics { points { time value } } }'],
  ])('leaves %s to the executor', (_name, selection) => {
    expect(plan(selection)).toBeNull();
  });
});
