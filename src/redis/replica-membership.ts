/**
 * Which replicas of one access key are alive, and what share of the rate each takes when it loses Redis, so
 * that the replicas together stay within the rate while Redis fails for some or all of them.
 *
 * Every replica beats into one Redis hash (`<id> -> "beatAt share reserveUntil presentUntil"`, Redis time)
 * every HEARTBEAT_INTERVAL_MS. A beat sets this replica's share to rate / (replicas alive), capped so that
 * the shares of all of them add up to at most the rate; the share a replica falls back to is the one its
 * last answered beat published, so every other replica knows it. The shared limiter's script
 * (shared-rate-limiter.ts) subtracts from the shared budget the share of every replica that may be limiting
 * locally:
 * - one past its `presentUntil`, its last beat plus its `presentMs` (it lost Redis, or died: either way it is
 *   presumed to be using its share until `graceMs` have passed without a beat; a replica that leaves cleanly
 *   deletes its entry). Each replica states its own, so replicas with different timeouts still agree;
 * - one whose beat says so (`reserveUntil`): a replica back from its fallback, whose local calls of the last
 *   window are in no shared log, or one whose fallback still has callers queued or running.
 *
 * A replica that loses Redis only starts its local grants once the others surely know (its last beat
 * without a reservation is past its `presentUntil`) and the shared window they may have filled before that
 * has passed: see `localNotBefore`. A beat sent while its fallback has callers, or while Redis fails it,
 * carries a reservation, so a beat that lands late, or lands but is never answered, cannot make it look
 * shared. A beat older than the
 * command timeout is dropped by the script rather than applied late, so a replica never uses a share other
 * than the one Redis holds for it.
 *
 * Redis may lose the hash (a restart): a replica whose own entry is missing writes back the entries it saw
 * last, so the replicas that have not reconnected yet keep their shares reserved.
 */
import type { RedisConnection } from './redis-connection.js';

export interface ReplicaMembershipOptions {
  readonly connection: RedisConnection;
  /** The hash of one access key's replicas, namespaced and versioned, e.g. `callq:v1:replicas:<hash>`. */
  readonly key: string;
  readonly replicaId: string;
  /** The account's rate, shared out between the replicas. */
  readonly requestsPerSecond: number;
  /** The rate limiter's window (1 s plus its margin): how long a grant counts. */
  readonly windowMs: number;
  /** The connection's command timeout: how late a beat may still land. */
  readonly timeoutMs: number;
  /** How long a replica missing from the beats is presumed alive and limiting locally. */
  readonly graceMs: number;
  /** The share used before any beat has answered (the others do not know this replica yet). */
  readonly initialShare: number;
  /** A monotonic clock, as the limiters'. */
  readonly now?: () => number;
}

export interface ReplicaMembership {
  /** The hash the shared limiter's script reads. */
  readonly key: string;
  /** How long after a beat of this replica the others still take it to be sharing. */
  readonly presentMs: number;
  readonly graceMs: number;
  /** True once a beat has answered since Redis last failed this replica: the shared log may be used. */
  readonly sharing: boolean;
  /** This replica's share of the rate while it limits locally. */
  readonly share: number;
  /** The earliest a local grant may come, on the clock given (see the module comment). */
  readonly localNotBefore: number;
  /** How long from now until then (0 once it has passed), for callers on another clock. */
  readonly localWaitMs: number;
  /** Redis failed a command of this replica: limit locally until a beat answers again. */
  lost(): void;
  /** Runs a call through the fallback, which the beats then reserve a share for while it may count. */
  local<T>(run: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Often enough that a replica cut off is known within a second or two; one small script per beat. */
export const HEARTBEAT_INTERVAL_MS = 500;

/**
 * ARGV: replica id, rate, graceMs, notAfter (Redis ms; 0: none), reserveMs, ttlMs, presentMs, then pairs
 * (id, entry) to write back when this replica's own entry is missing. Reply: { redis now, share (-1: dropped
 * as late), id, entry of every other replica within the grace }.
 */
const BEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local notAfter = tonumber(ARGV[4])
if notAfter > 0 and now > notAfter then return { now, -1 } end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  for i = 8, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
local rate = tonumber(ARGV[2])
local entries = redis.call('HGETALL', KEYS[1])
local count, others = 1, 0
local reply = { now, 0 }
for i = 1, #entries, 2 do
  local beatAt, share = string.match(entries[i + 1], '^(%d+) (%d+) %d+ %d+$')
  if beatAt == nil or tonumber(beatAt) < now - tonumber(ARGV[3]) then
    redis.call('HDEL', KEYS[1], entries[i])
  elseif entries[i] ~= ARGV[1] then
    count = count + 1
    others = others + tonumber(share)
    reply[#reply + 1] = entries[i]
    reply[#reply + 1] = entries[i + 1]
  end
end
local share = math.max(1, math.min(math.floor(rate / count), rate - others))
local entry = string.format('%d %d %d %d', now, share, now + tonumber(ARGV[5]), now + tonumber(ARGV[7]))
redis.call('HSET', KEYS[1], ARGV[1], entry)
redis.call('PEXPIRE', KEYS[1], ARGV[6])
reply[2] = share
return reply
`;

export function createReplicaMembership(options: ReplicaMembershipOptions): ReplicaMembership {
  const { connection, key, replicaId, requestsPerSecond: rate, windowMs, timeoutMs, graceMs } = options;
  const now = options.now ?? (() => performance.now());
  // Two intervals and a command timeout without a beat: a replica this late may be limiting on its own.
  const presentMs = 2 * HEARTBEAT_INTERVAL_MS + timeoutMs;
  let share = options.initialShare;
  let sharing = false;
  let lostAt = Number.NEGATIVE_INFINITY;
  /** When the last beat that could make this replica look shared (no reservation) was sent. */
  let unreservedSentAt = Number.NEGATIVE_INFINITY;
  /** Local time minus Redis time, as of the last answer; null before any. */
  let offset: number | null = null;
  /** The other replicas' entries as last seen, written back if Redis loses them. */
  let others: string[] = [];
  let localRuns = 0;
  let lastLocalAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const localNotBefore = () => Math.max(unreservedSentAt + timeoutMs + presentMs, lostAt) + windowMs;

  function lost(): void {
    if (sharing) lostAt = now();
    sharing = false;
  }
  // A reconnect may mean a restarted Redis that lost the hash: no shared grant before a beat restores it.
  connection.client.on('close', lost);

  /** True when the next beat should follow at once: this one reserved a share nothing local uses any more. */
  async function beat(): Promise<boolean> {
    const sentAt = now();
    // Once landed, the beat makes this replica look present for presentMs; a local grant until then counts
    // for one window more. So it reserves the share while the fallback has callers, and from the moment Redis
    // failed this replica until a beat answers (its callers may go local any time). Otherwise only the local
    // grants already made need covering, and later ones wait (localNotBefore). Before it ever shared, nobody
    // knew this replica, so there is nothing to reserve.
    const reserving = localRuns > 0 || (!sharing && lostAt > Number.NEGATIVE_INFINITY);
    const reserveMs = reserving
      ? presentMs + windowMs
      : Math.max(0, Math.ceil(lastLocalAt + windowMs - sentAt));
    if (!reserving) unreservedSentAt = sentAt;
    const notAfter = offset === null ? 0 : Math.floor(sentAt - offset + timeoutMs);
    const ttlMs = graceMs + windowMs;
    try {
      const reply = await connection.client.eval(
        BEAT,
        1,
        key,
        replicaId,
        rate,
        graceMs,
        notAfter,
        reserveMs,
        ttlMs,
        presentMs,
        ...others,
      );
      if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number')
        throw new TypeError('unexpected reply from the heartbeat script');
      offset = now() - reply[0];
      if (reply[1] < 0) {
        lost();
        return false;
      }
      share = reply[1];
      others = reply.slice(2).map(String);
      sharing = true;
      // Back from a failure with no local call under way: lift the reservation rather than hold this replica's
      // own shared calls back for an interval.
      return reserving && localRuns === 0;
    } catch {
      lost();
      return false;
    }
  }

  let beating = false;
  /** One beat at a time, the next one an interval after it ended; at once when the connection gets ready. */
  async function tick(): Promise<void> {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (closed || beating) return;
    beating = true;
    let again = false;
    try {
      if (connection.healthy) again = await beat();
      else lost();
    } finally {
      beating = false;
      if (!closed) {
        timer = setTimeout(tick, again ? 0 : HEARTBEAT_INTERVAL_MS);
        timer.unref();
      }
    }
  }
  connection.client.on('ready', tick);
  void tick();

  return {
    key,
    presentMs,
    graceMs,
    get sharing() {
      return sharing && connection.healthy;
    },
    get share() {
      return share;
    },
    get localNotBefore() {
      return localNotBefore();
    },
    get localWaitMs() {
      return Math.max(0, localNotBefore() - now());
    },
    lost,
    async local(run) {
      localRuns++;
      try {
        return await run();
      } finally {
        localRuns--;
        lastLocalAt = now();
      }
    },
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      connection.client.off('close', lost);
      connection.client.off('ready', tick);
      // Leaving cleanly frees this replica's share at once instead of after the grace.
      if (connection.healthy) await connection.client.hdel(key, replicaId).catch(() => {});
    },
  };
}
