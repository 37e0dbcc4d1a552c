/**
 * Who sends a simulated session: an IP address and a user agent, chosen with production's messiness
 * (returning visitors, several devices behind one NAT address, clients without a user agent, crawlers
 * from their operators' address ranges) but never so that the truth becomes unrecoverable: two
 * sessions of the same IP + user agent are always separated by far more than the sessionizer's gap.
 *
 * New clients get addresses from a keyed permutation of a counter, so addresses never collide by
 * chance; every remembered client lives in a bounded pool, so memory stays flat at any volume.
 */
import { DEFAULTS } from '../config';
import type { Rng } from './rng';
import { WeightedChoice } from './rng';

export type ClientKind = 'browser' | 'machine' | 'bot';

export interface ClientIdentity {
  readonly ip: string;
  readonly userAgent: string;
  /** End (epoch seconds) of this client's latest session. */
  lastEnd: number;
}

export interface ClientSettings {
  returnGapSeconds: number;
  returningShare: Readonly<Record<ClientKind, number>>;
  returningPoolSize: number;
  natShare: number;
  natAddresses: number;
  natClientsPerAddress: number;
  noUserAgentShare: number;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = {
  returnGapSeconds: DEFAULTS.simulate.returnGapSeconds,
  returningShare: DEFAULTS.simulate.returningShare,
  returningPoolSize: DEFAULTS.simulate.returningPoolSize,
  natShare: DEFAULTS.simulate.natShare,
  natAddresses: DEFAULTS.simulate.natAddresses,
  natClientsPerAddress: DEFAULTS.simulate.natClientsPerAddress,
  noUserAgentShare: DEFAULTS.simulate.noUserAgentShare,
};

// --- user agents ------------------------------------------------------------------------------

const DESKTOP_OS = [
  'Windows NT 10.0; Win64; x64',
  'Macintosh; Intel Mac OS X 10_15_7',
  'X11; Linux x86_64',
  'X11; Ubuntu; Linux x86_64',
];
const MOBILE_OS = ['Linux; Android 14; Pixel 8', 'Linux; Android 13; SM-S918B', 'Linux; Android 14; SM-A546B'];

function browserAgents(): [string, number][] {
  const out: [string, number][] = [];
  for (let v = 118; v <= 131; v++) {
    for (const os of DESKTOP_OS) {
      out.push([`Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`, 6]);
    }
    for (const os of MOBILE_OS) {
      out.push([`Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`, 5]);
    }
    out.push([
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`,
      2,
    ]);
  }
  for (let v = 120; v <= 133; v++) {
    for (const os of ['Windows NT 10.0; Win64; x64', 'Macintosh; Intel Mac OS X 10.15', 'X11; Linux x86_64']) {
      out.push([`Mozilla/5.0 (${os}; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`, 2]);
    }
  }
  for (const v of ['16.6', '17.0', '17.1', '17.2', '17.3', '17.4', '17.5', '17.6', '18.0', '18.1']) {
    const ios = v.replace('.', '_');
    out.push([`Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Safari/605.1.15`, 3]);
    out.push([
      `Mozilla/5.0 (iPhone; CPU iPhone OS ${ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Mobile/15E148 Safari/604.1`,
      6,
    ]);
  }
  return out;
}

function machineAgents(): [string, number][] {
  const out: [string, number][] = [];
  for (const v of ['2.28.2', '2.31.0', '2.32.2', '2.32.3']) out.push([`python-requests/${v}`, 3]);
  for (const v of ['4.9.3', '4.11.0', '4.12.0']) out.push([`okhttp/${v}`, 3]);
  out.push(['Go-http-client/1.1', 4], ['Go-http-client/2.0', 3]);
  return out;
}

/** Crawlers with the address ranges their operators publish (first two octets). */
const BOT_AGENTS: readonly { ua: string; prefixes: readonly string[]; weight: number }[] = [
  { ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', prefixes: ['66.249'], weight: 45 },
  { ua: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', prefixes: ['157.55', '40.77', '207.46'], weight: 25 },
  { ua: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', prefixes: ['5.255', '87.250'], weight: 8 },
  { ua: 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)', prefixes: ['20.191'], weight: 5 },
  { ua: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)', prefixes: ['54.36', '5.39'], weight: 10 },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    prefixes: ['17.58'],
    weight: 7,
  },
];

/** First octets of ordinary public unicast space (no private, loopback, link-local, CGNAT or multicast). */
const PUBLIC_FIRST_OCTETS = [
  23, 24, 31, 37, 45, 46, 50, 51, 62, 68, 71, 73, 77, 78, 81, 82, 86, 88, 90, 92, 94, 98, 104, 108, 109, 121,
  134, 141, 145, 151, 176, 178, 185, 188, 193, 195, 212, 213, 217,
];

/** All browser user agents the simulator uses (tests check none is flagged as a bot). */
export const BROWSER_USER_AGENTS: readonly string[] = browserAgents().map(([ua]) => ua);
export const MACHINE_USER_AGENTS: readonly string[] = machineAgents().map(([ua]) => ua);
export const BOT_USER_AGENTS: readonly string[] = BOT_AGENTS.map((b) => b.ua);

// --- addresses --------------------------------------------------------------------------------

const MASK24 = 0xffffff;
const MASK16 = 0xffff;

/** A keyed bijection on [0, 2^bits): distinct counters give distinct outputs. */
function permute(x: number, key: number, mask: number, shift: number): number {
  let y = (x ^ key) & mask;
  y = Math.imul(y, 0x2c1b3c6d | 1) & mask;
  y ^= y >>> shift;
  y = (Math.imul(y, 0x297a2d39 | 1) + key) & mask;
  y ^= y >>> (shift - 1);
  return y & mask;
}

function dotted(a: number, rest24: number): string {
  return `${a}.${(rest24 >>> 16) & 0xff}.${(rest24 >>> 8) & 0xff}.${rest24 & 0xff}`;
}

interface Pool {
  items: ClientIdentity[];
}

/** Hands out client identities for sessions, in start-time order. */
export class ClientDirectory {
  private readonly browserUa: WeightedChoice<string>;
  private readonly machineUa: WeightedChoice<string>;
  private readonly botChoice: WeightedChoice<number>;
  private readonly pools: Record<ClientKind, Pool> = { browser: { items: [] }, machine: { items: [] }, bot: { items: [] } };
  private readonly botCounters: number[] = BOT_AGENTS.map(() => 0);
  private readonly nat: { ip: string; clients: ClientIdentity[] }[] = [];
  private readonly key24: number;
  private readonly key16: number;
  private counter = 0;

  constructor(
    private readonly rng: Rng,
    private readonly settings: ClientSettings = DEFAULT_CLIENT_SETTINGS,
  ) {
    this.browserUa = new WeightedChoice(browserAgents());
    this.machineUa = new WeightedChoice(machineAgents());
    this.botChoice = new WeightedChoice(BOT_AGENTS.map((b, i) => [i, b.weight] as const));
    this.key24 = rng.uint32() & MASK24;
    this.key16 = rng.uint32() & MASK16;
    for (let i = 0; i < settings.natAddresses; i++) this.nat.push({ ip: this.newIp(), clients: [] });
  }

  /**
   * An identity for a session of `kind` starting at `start` (epoch seconds). The caller must call
   * `finish(identity, end)` once the session's last request is known.
   */
  acquire(kind: ClientKind, start: number): ClientIdentity {
    const s = this.settings;
    if (this.rng.chance(s.returningShare[kind])) {
      const back = this.returning(this.pools[kind], start);
      if (back) return back;
    }
    if (kind === 'browser' && this.rng.chance(s.natShare)) {
      const behindNat = this.natClient(start);
      if (behindNat) return behindNat;
    }
    const client = this.fresh(kind);
    this.remember(kind, client);
    return client;
  }

  finish(client: ClientIdentity, end: number): void {
    client.lastEnd = Math.max(client.lastEnd, end);
  }

  private eligible(c: ClientIdentity, start: number): boolean {
    return start - c.lastEnd >= this.settings.returnGapSeconds;
  }

  /** A few random probes rather than a scan: O(1) per session, and returns stay random. */
  private returning(pool: Pool, start: number): ClientIdentity | undefined {
    if (pool.items.length === 0) return undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const c = this.rng.pick(pool.items);
      if (this.eligible(c, start)) return c;
    }
    return undefined;
  }

  private natClient(start: number): ClientIdentity | undefined {
    const site = this.rng.pick(this.nat);
    const idle = site.clients.filter((c) => this.eligible(c, start));
    // Devices behind the NAT come back; a new device joins while the address has room.
    if (idle.length > 0 && (site.clients.length >= this.settings.natClientsPerAddress || this.rng.chance(0.5))) {
      return this.rng.pick(idle);
    }
    if (site.clients.length >= this.settings.natClientsPerAddress) return undefined;
    const used = new Set(site.clients.map((c) => c.userAgent));
    for (let attempt = 0; attempt < 8; attempt++) {
      const ua = this.browserUa.pick(this.rng) ?? '-';
      if (used.has(ua)) continue;
      const client: ClientIdentity = { ip: site.ip, userAgent: ua, lastEnd: -Infinity };
      site.clients.push(client);
      return client;
    }
    return undefined;
  }

  private remember(kind: ClientKind, client: ClientIdentity): void {
    const pool = this.pools[kind];
    if (pool.items.length < this.settings.returningPoolSize) pool.items.push(client);
    else pool.items[this.rng.int(0, pool.items.length - 1)] = client;
  }

  private newIp(): string {
    const k = this.counter++;
    const rest = permute(k & MASK24, this.key24, MASK24, 12);
    const first = PUBLIC_FIRST_OCTETS[(Math.imul(k ^ (k >>> 7), 0x9e3779b1) >>> 0) % PUBLIC_FIRST_OCTETS.length] ?? 23;
    return dotted(first, rest);
  }

  private fresh(kind: ClientKind): ClientIdentity {
    if (kind === 'bot') {
      const i = this.botChoice.pick(this.rng) ?? 0;
      const bot = BOT_AGENTS[i] ?? BOT_AGENTS[0];
      if (!bot) throw new Error('no bot agents configured');
      const n = this.botCounters[i] ?? 0;
      this.botCounters[i] = n + 1;
      const prefix = bot.prefixes[n % bot.prefixes.length] ?? '66.249';
      const low = permute(Math.floor(n / bot.prefixes.length) & MASK16, this.key16, MASK16, 8);
      return { ip: `${prefix}.${low >>> 8}.${low & 0xff}`, userAgent: bot.ua, lastEnd: -Infinity };
    }
    const ip = this.newIp();
    if (kind === 'machine') {
      const ua = this.rng.chance(this.settings.noUserAgentShare) ? '-' : (this.machineUa.pick(this.rng) ?? '-');
      return { ip, userAgent: ua, lastEnd: -Infinity };
    }
    return { ip, userAgent: this.browserUa.pick(this.rng) ?? '-', lastEnd: -Infinity };
  }
}
