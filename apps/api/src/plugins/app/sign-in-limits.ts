import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';

/** IPv6 clients usually own a whole /64, so that is what one address counts as. */
export function addressKey(address: string): string {
  const ip = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** An address may fail this many times more than a single login: offices share one NAT. */
export const ADDRESS_FACTOR = 5;
/** A reset link: at most 3 per login and 30 per address in 15 minutes, enough for a person, useless for flooding. */
const RESET_WINDOW_MS = 15 * 60_000;
const RESET_PER_LOGIN = 3;
const RESET_PER_ADDRESS = 30;
/** The store's own ceiling is never reached: our limits are applied to counts read back from it. */
const UNCAPPED = 1_000_000_000;

export type SignInGate =
  | { allowed: true; succeeded(): Promise<void> }
  | { allowed: false; retryAfterSeconds: number };

declare module 'fastify' {
  interface FastifyInstance {
    signInLimits: {
      /**
       * Counts one sign-in attempt (as failed until `succeeded()`) and says whether it may go ahead. A login's
       * attempts from addresses it has signed in from before (`knownAddress`) are counted apart from everyone
       * else's, so failures elsewhere do not lock the owner out.
       */
      begin(login: string, address: string, knownAddress: boolean): Promise<SignInGate>;
      /** Whether a reset link may be sent for this login to someone at this address now (counts the request). */
      allowResetLink(login: string, address: string): Promise<boolean>;
    };
  }
}

interface Count {
  current: number;
  ttlSeconds: number;
}

/**
 * Sign-in limits on @fastify/rate-limit's counters (in Redis when REDIS_URL is set, so all API processes count
 * together). An attempt is counted before its password is checked, atomically, so a burst of parallel requests
 * cannot slip through while their hashes are computed; a successful sign-in is counted too and subtracted, so only
 * failures use up the allowance.
 */
export default fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const { maxFailures, windowMs } = opts.config.login;

    function counter(timeWindow: number) {
      const keyOf = new WeakMap<object, string>();
      // `cache` sizes the in-memory store (untyped for createRateLimit, honoured by its store): an attacker spraying
      // names must not evict the counted ones
      const options = { max: UNCAPPED, timeWindow, cache: 100_000, keyGenerator: (req: FastifyRequest) => keyOf.get(req) ?? 'unkeyed' };
      const limiter = app.createRateLimit(options);
      const run = async (key: string, increment: boolean): Promise<Count> => {
        // the limiter reads the key from its request; each count gets a request-shaped object of its own
        const probe = { routeOptions: { config: {} } };
        keyOf.set(probe, key);
        let result;
        try {
          result = await limiter(probe as unknown as FastifyRequest, { increment });
        } catch (error) {
          app.log.error({ err: error }, 'sign-in limit store failed');
          throw new AppError('service_unavailable');
        }
        if (result.isAllowed) return { current: 0, ttlSeconds: 0 };
        return { current: UNCAPPED - result.remaining, ttlSeconds: Math.max(1, result.ttlInSeconds) };
      };
      return { incr: (key: string) => run(key, true), read: (key: string) => run(key, false) };
    }

    const signIns = counter(windowMs);
    const resets = counter(RESET_WINDOW_MS);

    app.decorate('signInLimits', {
      async begin(login: string, address: string, knownAddress: boolean): Promise<SignInGate> {
        const who = login.toLowerCase();
        const where = addressKey(address);
        // [key, allowance, most successes credited]: a login's successes need its password, so they all count; an
        // address's are capped, so someone with an account of their own cannot sign in over and over to buy guesses
        const keys: Array<[string, number, number]> = [
          [knownAddress ? `login:${who}@${where}` : `login:${who}`, maxFailures, Number.POSITIVE_INFINITY],
          [`addr:${where}`, maxFailures * ADDRESS_FACTOR, maxFailures * ADDRESS_FACTOR],
        ];
        let wait = 0;
        for (const [key, max, credit] of keys) {
          const successes = await signIns.read(`ok:${key}`);
          const attempts = await signIns.incr(`try:${key}`);
          if (attempts.current - Math.min(successes.current, credit) > max) wait = Math.max(wait, attempts.ttlSeconds);
        }
        if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
        return {
          allowed: true,
          succeeded: async () => {
            for (const [key] of keys) await signIns.incr(`ok:${key}`);
          },
        };
      },

      async allowResetLink(login: string, address: string): Promise<boolean> {
        const byLogin = await resets.incr(`reset:login:${login.toLowerCase()}`);
        const byAddress = await resets.incr(`reset:addr:${addressKey(address)}`);
        return byLogin.current <= RESET_PER_LOGIN && byAddress.current <= RESET_PER_ADDRESS;
      },
    });
  },
  { name: 'sign-in-limits', dependencies: ['rate-limit'] },
);
