import { describe, expect, it } from 'vitest';
import { refusalReason } from './outbound-http.js';

describe('outbound address policy', () => {
  it('refuses link-local and cloud metadata addresses unless the policy is any', () => {
    for (const address of [
      '169.254.169.254',
      '169.254.0.1',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
    ]) {
      expect(refusalReason(address, 'public-and-private'), address).toMatch(/link-local|metadata/);
      expect(refusalReason(address, 'public-only'), address).toMatch(/link-local|metadata/);
      expect(refusalReason(address, 'any'), address).toBeUndefined();
    }
  });

  it('lets the default reach private networks, and public-only refuse them', () => {
    const notPublic = {
      '127.0.0.1': /loopback/,
      '::1': /loopback/,
      '10.1.2.3': /private/,
      '172.20.0.5': /private/,
      '192.168.1.10': /private/,
      '100.64.3.4': /carrier-grade NAT/,
      'fd12:3456::1': /unique local/,
      '0.0.0.0': /this network/,
      '::ffff:10.0.0.1': /private/,
      // How the URL parser writes [::ffff:127.0.0.1].
      '::ffff:7f00:1': /loopback/,
    };
    for (const [address, reason] of Object.entries(notPublic)) {
      expect(refusalReason(address, 'public-and-private'), address).toBeUndefined();
      expect(refusalReason(address, 'public-only'), address).toMatch(reason);
    }
  });

  it('lets every policy reach public addresses', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '172.32.0.1', '100.128.0.1'])
      for (const policy of ['any', 'public-and-private', 'public-only'] as const)
        expect(refusalReason(address, policy), `${address} ${policy}`).toBeUndefined();
  });
});
