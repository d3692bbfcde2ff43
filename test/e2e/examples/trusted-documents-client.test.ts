/**
 * The example client sending its operations by hash (GET, `extensions.persistedQuery.sha256Hash`) to real
 * gateways on the simulator whose TRUSTED_DOCUMENTS is the example's own gql/persisted-documents.json, as codegen
 * wrote it: in `allow` mode a hash answers what the text answers; in `require` mode only hashes run.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, GatewayRequestError } from '../../../examples/client.js';
import { chartFrame, metricNames, roomOverview } from '../../../examples/dashboard.js';
import { createLogger } from '../../../src/observability/logger.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const LIST = fileURLToPath(new URL('../../../examples/gql/persisted-documents.json', import.meta.url));
const APP = 'demo-app';
const USERS = ['alice', 'bob'];

let allowing: TestGateway;
let requiring: TestGateway;
/** What the gateway in require mode logged at start. */
const requiringLog: Array<{ level: string; msg: string }> = [];

beforeAll(async () => {
  const logger = createLogger({
    level: 'warn',
    destination: { write: (line: string) => requiringLog.push(JSON.parse(line)) },
  });
  [allowing, requiring] = await Promise.all([
    startTestGateway({ env: { TRUSTED_DOCUMENTS: LIST, TRUSTED_DOCUMENTS_MODE: 'allow' } }),
    startTestGateway({ env: { TRUSTED_DOCUMENTS: LIST, TRUSTED_DOCUMENTS_MODE: 'require' }, logger }),
  ]);
});

afterAll(async () => {
  await Promise.all([allowing?.close(), requiring?.close()]);
});

const range = () => ({ last: 3600, to: pastRange(1).to });

describe('the example client with trusted documents', () => {
  it('gets by hash what the text answers (allow mode)', async () => {
    const byHash = createClient({ url: allowing.gateway.graphqlUrl, trustedDocuments: true });
    const byText = createClient({ url: allowing.gateway.graphqlUrl });
    const overview = {
      appId: APP,
      roomId: 'trusted-overview',
      userIds: USERS,
      metrics: ['Rtt'],
      step: 60,
      range: range(),
    };
    const hashed = await roomOverview(byHash, overview);
    expect(hashed.errors).toEqual([]);
    expect(hashed.data.map((user) => [user.userId, user.final])).toEqual([
      ['alice', true],
      ['bob', true],
    ]);
    expect(await roomOverview(byText, overview)).toEqual(hashed);
    // One call for both users' hour; the text's answer came from the cache.
    expect(allowing.simulator.calls).toHaveLength(1);
  });

  it('runs every operation of the example by hash, and refuses the text, in require mode', async () => {
    const execute = createClient({ url: requiring.gateway.graphqlUrl, trustedDocuments: true });
    const base = { appId: APP, roomId: 'trusted-require', range: range() };
    const names = await metricNames(execute, { ...base, userId: 'alice' });
    expect(names.data?.map((metric) => metric.name)).toContain('Rtt');
    const frame = await chartFrame(execute, { ...base, userIds: USERS, metric: 'Rtt', maxDataPoints: 60 });
    expect(frame.data?.columns.map((column) => column.userId)).toContain('bob');
    const overview = await roomOverview(execute, { ...base, userIds: USERS, metrics: ['Rtt'], step: 60 });
    expect(overview.data.map((user) => user.final)).toEqual([true, true]);
    const calls = requiring.simulator.calls.length;

    const asText = createClient({ url: requiring.gateway.graphqlUrl });
    const refused = await metricNames(asText, { ...base, userId: 'carol' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayRequestError);
    expect([(refused as GatewayRequestError).status, (refused as GatewayRequestError).code]).toEqual([
      400,
      'PERSISTED_QUERY_ID_REQUIRED',
    ]);
    expect(requiring.simulator.calls).toHaveLength(calls);
  });

  it('warns at start that GraphiQL, still served, has every operation refused in require mode', () => {
    expect(requiringLog).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: expect.stringMatching(/^TRUSTED_DOCUMENTS_MODE=require: GraphiQL .* refused .*GRAPHIQL=false/),
      }),
    );
  });
});
