import { describe, expect, it } from 'vitest';
import { addressKey, LoginLimiter } from './login-limiter.ts';

describe('LoginLimiter', () => {
  it('blocks the 11th failure of a login within the window and frees it when the window passes', () => {
    let now = 1_000_000;
    const limiter = new LoginLimiter({ maxFailures: 10, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 10; i++) {
      expect(limiter.retryAfterSeconds('spo_coord_77', '10.0.0.1')).toBe(0);
      limiter.recordFailure('spo_coord_77', '10.0.0.1');
      now += 1000;
    }
    expect(limiter.retryAfterSeconds('SPO_COORD_77', '10.0.0.2')).toBe(50);
    now += 50_000;
    expect(limiter.retryAfterSeconds('spo_coord_77', '10.0.0.2')).toBe(0);
  });

  it('limits an address across many logins, more loosely than one login', () => {
    const limiter = new LoginLimiter({ maxFailures: 2, windowMs: 60_000, addressFactor: 3 });
    for (let i = 0; i < 6; i++) limiter.recordFailure(`login_${i}`, '10.0.0.9');
    expect(limiter.retryAfterSeconds('fresh_login', '10.0.0.9')).toBeGreaterThan(0);
    expect(limiter.retryAfterSeconds('fresh_login', '10.0.0.10')).toBe(0);
  });

  it('clears a login’s failures after it signs in', () => {
    const limiter = new LoginLimiter({ maxFailures: 2, windowMs: 60_000 });
    limiter.recordFailure('a_user', '1.1.1.1');
    limiter.recordFailure('a_user', '1.1.1.1');
    expect(limiter.retryAfterSeconds('a_user', '2.2.2.2')).toBeGreaterThan(0);
    limiter.recordSuccess('a_user');
    expect(limiter.retryAfterSeconds('a_user', '2.2.2.2')).toBe(0);
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses and folds IPv6 to the /64', () => {
    expect(addressKey('10.1.2.3')).toBe('10.1.2.3');
    expect(addressKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(addressKey('2001:db8:0:1:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8:0:1::5')).toBe(addressKey('2001:0db8:0000:0001:ffff::9'));
    expect(addressKey('2001:db8:0:2::5')).not.toBe(addressKey('2001:db8:0:1::5'));
  });
});
