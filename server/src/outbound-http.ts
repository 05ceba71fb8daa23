// Outbound HTTP to addresses admins configure (webhooks, customer-card lookups, bot HTTP actions,
// channel providers and the API channel's webhook): one fetch for all of them, guarded against SSRF.
// The check runs on the address actually connected to (a DNS lookup hook, plus IP literals in the
// URL and in every redirect), so a name that resolves to a public address when saved and a private
// one later (DNS rebinding) is still refused. Design: docs/secrets-and-outbound.md.
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import { Agent, buildConnector } from 'undici';

export const OUTBOUND_URL_POLICIES = ['any', 'public-and-private', 'public-only'] as const;
/**
 * any: every address; public-and-private (default): all but link-local and cloud metadata
 * addresses, so CRMs on the team's own network work; public-only: the public internet only.
 */
export type OutboundUrlPolicy = (typeof OUTBOUND_URL_POLICIES)[number];

/** A connection the policy does not allow; its message names the address, the reason and the setting. */
export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

type Range = [network: string, prefix: number, type: 'ipv4' | 'ipv6', reason: string];

/** Refused unless the policy is `any`: where cloud instance credentials live. */
const LINK_LOCAL: Range[] = [
  ['169.254.0.0', 16, 'ipv4', 'a link-local or cloud metadata address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['fd00:ec2::254', 128, 'ipv6', 'the cloud metadata address'],
];

/** Also refused by `public-only`: loopback, private networks and everything not routable on the internet. */
const NOT_PUBLIC: Range[] = [
  ['0.0.0.0', 8, 'ipv4', 'a "this network" address'],
  ['10.0.0.0', 8, 'ipv4', 'a private (RFC 1918) address'],
  ['100.64.0.0', 10, 'ipv4', 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['172.16.0.0', 12, 'ipv4', 'a private (RFC 1918) address'],
  ['192.0.0.0', 24, 'ipv4', 'an IETF protocol address'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address'],
  ['192.168.0.0', 16, 'ipv4', 'a private (RFC 1918) address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['64:ff9b:1::', 48, 'ipv6', 'a local NAT64 address'],
  ['100::', 64, 'ipv6', 'a discard-only address'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address'],
  ['fc00::', 7, 'ipv6', 'a unique local (private) address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

interface CompiledRange {
  list: BlockList;
  reason: string;
}

/** One BlockList per range, so a match also tells which range (and so the reason). */
function compiled(ranges: Range[]): CompiledRange[] {
  return ranges.map(([network, prefix, type, reason]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return { list, reason };
  });
}

const linkLocal = compiled(LINK_LOCAL);
const notPublic = compiled(NOT_PUBLIC);

// BlockList matches IPv4-mapped IPv6 addresses (`::ffff:7f00:1`, which the kernel connects to as
// 127.0.0.1) against IPv4 ranges itself.
function reasonIn(ranges: CompiledRange[], address: string): string | undefined {
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return ranges.find((range) => range.list.check(address, type))?.reason;
}

/** Why the policy refuses this IP address, or undefined when it may be connected to. */
export function refusalReason(ip: string, policy: OutboundUrlPolicy): string | undefined {
  if (policy === 'any') return undefined;
  return reasonIn(linkLocal, ip) ?? (policy === 'public-only' ? reasonIn(notPublic, ip) : undefined);
}

function refused(ip: string, host: string, reason: string, policy: OutboundUrlPolicy) {
  const named = host === ip ? ip : `${ip} (${host})`;
  return new OutboundRefusedError(
    `Refused to connect to ${named}: it is ${reason}, which OUTBOUND_URLS=${policy} does not allow`,
  );
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export interface OutboundHttp {
  readonly policy: OutboundUrlPolicy;
  /** The platform's fetch, connecting only where the policy allows; refusals reject with OutboundRefusedError (maybe as `cause`). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export function createOutboundHttp(policy: OutboundUrlPolicy): OutboundHttp {
  const lookup = (hostname: string, options: { family?: number | string }, callback: LookupCallback) => {
    dnsLookup(hostname, { family: Number(options.family ?? 0) || 0, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = addresses.filter((a) => !refusalReason(a.address, policy));
      const first = addresses[0];
      if (allowed.length === 0 && first)
        return callback(refused(first.address, hostname, refusalReason(first.address, policy)!, policy), []);
      const chosen = allowed[0];
      if ('all' in options && options.all) return callback(null, allowed);
      return callback(null, chosen?.address ?? '', chosen?.family);
    });
  };
  const connectByName = buildConnector({ lookup });
  // Node connects to an IP literal without a lookup, so those are checked here, redirects included.
  const connect: buildConnector.connector = (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    const reason = isIP(host) ? refusalReason(host, policy) : undefined;
    if (reason) return callback(refused(host, host, reason, policy), null);
    return connectByName(options, callback);
  };
  const agent = new Agent({ connect });
  // Node's fetch takes a connection pool as `dispatcher`; its types come from undici-types, a copy
  // of the same interfaces as the undici package's.
  const dispatcher = agent as unknown as NonNullable<RequestInit['dispatcher']>;

  return {
    policy,
    fetch(url, init) {
      const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
      if (protocol !== 'http:' && protocol !== 'https:')
        return Promise.reject(
          new OutboundRefusedError(
            `Refused to call ${url.slice(0, 100)}: only http:// and https:// addresses are allowed`,
          ),
        );
      return fetch(url, { ...init, dispatcher });
    },
    close: () => agent.close(),
  };
}

/**
 * For the connections that are not HTTP (SMTP and IMAP to the mail servers an admin names): an
 * address of the host the policy allows. The caller connects to that address, with the host as
 * the TLS server name, so a DNS answer cannot change between this check and the connection.
 */
export async function allowedAddress(host: string, policy: OutboundUrlPolicy): Promise<string> {
  const literal = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(literal) ? [literal] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  const allowed = addresses.find((address) => !refusalReason(address, policy));
  if (allowed) return allowed;
  const first = addresses[0] ?? host;
  throw refused(first, host, refusalReason(first, policy) ?? 'not an address', policy);
}

/** The refusal behind a failed fetch (fetch wraps connection errors in `cause`), if that is why it failed. */
export function outboundRefusalOf(error: unknown): OutboundRefusedError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    if (current instanceof OutboundRefusedError) return current;
    current = current.cause;
  }
  return undefined;
}
