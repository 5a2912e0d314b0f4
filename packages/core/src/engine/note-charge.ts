import { PixlockError } from '../errors.js';
import { formatAmount } from '../pricing/currency.js';
import { priceListOf } from '../pricing/price-table.js';
import type { RunContext } from './run-context.js';

/**
 * Counts what the provider reported against the budget. A provider that charges more than
 * the list price makes every estimate wrong: with a budget set, no new task is created.
 */
export function noteCharge(
  ctx: RunContext,
  id: string,
  reserved: number,
  listed: number,
  charged: number,
  resumed: boolean,
): void {
  // A resumed task was paid by the run that created it, and counted there.
  ctx.budget.settle(reserved, resumed ? 0 : charged);
  if (charged <= listed) return;
  const spent = ctx.budget.spent;
  const { currency } = priceListOf(ctx.manifest.provider.name);
  const amount = (n: number) => formatAmount(n, currency);
  const budget =
    ctx.budget.max === undefined
      ? ''
      : `; ${amount(spent)} spent against a budget of ${amount(ctx.budget.max)}, so no new task is created`;
  const message = `${ctx.provider.name} charged ${amount(charged)} for ${id}, listed at ${amount(listed)}${budget}`;
  ctx.emit({ type: 'overcharged', id, listed, charged });
  ctx.logger.warn(message);
  if (ctx.budget.max !== undefined) {
    ctx.stop ??= new PixlockError('PROVIDER_OVERCHARGED', message, {
      details: { id, listed, charged, spent, budget: ctx.budget.max },
    });
  }
}
