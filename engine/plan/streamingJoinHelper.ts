import { references, type Attribute, type Expr } from "../expressions/Expression";
import type { IntervalValue } from "../expressions/types";
import { splitConjuncts } from "../execution/operators/JoinExec";

const MS_PER_DAY = 86_400_000;

/** A linear form Σ coef·attr + constant (ms), or null when the expression is not one. */
interface Linear {
  readonly terms: Map<number, number>;
  readonly constant: number;
}

function linear(e: Expr): Linear | null {
  switch (e.kind) {
    case "attr":
      return { terms: new Map([[e.id, 1]]), constant: 0 };
    case "alias":
      return linear(e.child);
    case "literal": {
      if (e.dataType !== "interval" || e.value === null || typeof e.value !== "object") return null;
      const i = e.value as unknown as IntervalValue;
      if (i.months !== 0) return null;
      return { terms: new Map(), constant: i.microseconds / 1000 + i.days * MS_PER_DAY };
    }
    case "binary": {
      if (e.op !== "+" && e.op !== "-") return null;
      const l = linear(e.left);
      const r = linear(e.right);
      if (l === null || r === null) return null;
      const sign = e.op === "+" ? 1 : -1;
      const terms = new Map(l.terms);
      for (const [id, c] of r.terms) terms.set(id, (terms.get(id) ?? 0) + sign * c);
      return { terms, constant: l.constant + sign * r.constant };
    }
    default:
      return null;
  }
}

/**
 * Spark's StreamingJoinHelper.getStateValueWatermark: from the range conditions of a join
 * (`leftTime > rightTime - interval 10 seconds`, BETWEEN…), the event time below which no
 * future row of the other side can match a buffered row of `side`: the watermark of the
 * state values of `side`. A value `t` may be dropped when `t ≤` the result. Conditions
 * relate the event-time column of `side` to a watermarked column of `other` plus or minus
 * an interval; the most restrictive bound wins; a non-strict bound is lowered by 1 ms (as
 * Spark). Null when no condition bounds `side` from below.
 *
 * @example leftTime BETWEEN rightTime - 10 s AND rightTime + 5 s, watermark 30 s:
 *   left → 19.999 s (drop < 20 s), right → 24.999 s
 */
export function stateValueWatermark(
  side: readonly Attribute[],
  other: readonly Attribute[],
  condition: Expr | null,
  eventWatermarkMs: number,
): number | null {
  const sideTime = side.find((a) => a.eventTimeDelayMs !== undefined);
  if (sideTime === undefined) return null;
  const otherTimes = new Set(other.filter((a) => a.eventTimeDelayMs !== undefined).map((a) => a.id));
  if (otherTimes.size === 0) return null;
  let best: number | null = null;
  for (const c of splitConjuncts(condition)) {
    if (c.kind !== "binary" || !["<", "<=", ">", ">="].includes(c.op)) continue;
    const l = linear(c.left);
    const r = linear(c.right);
    if (l === null || r === null) continue;
    // diff = left - right, oriented so that the condition reads diff > 0 (or ≥ 0).
    const flip = c.op === "<" || c.op === "<=" ? -1 : 1;
    const terms = new Map<number, number>();
    for (const [id, k] of l.terms) terms.set(id, (terms.get(id) ?? 0) + flip * k);
    for (const [id, k] of r.terms) terms.set(id, (terms.get(id) ?? 0) - flip * k);
    const constant = flip * (l.constant - r.constant);
    const nonZero = [...terms].filter(([, k]) => k !== 0);
    if (nonZero.length !== 2) continue;
    const a = terms.get(sideTime.id) ?? 0;
    const o = nonZero.find(([id]) => id !== sideTime.id && otherTimes.has(id));
    if (a <= 0 || o === undefined || o[1] >= 0) continue;
    // a·s + b·o + c > 0 with a > 0, b < 0: s > (-b·o - c) / a, rising with o's watermark.
    const bound = (-o[1] * eventWatermarkMs - constant) / a;
    const strict = c.op === "<" || c.op === ">";
    const wm = strict ? bound : bound - 1;
    if (best === null || wm > best) best = wm;
  }
  return best;
}

/** Whether `attrs` of a join side contains every attribute `e` reads. */
function within(e: Expr, ids: ReadonlySet<number>): boolean {
  return [...references(e)].every((id) => ids.has(id));
}

/** Equality conjuncts between the two sides (left key, right key) and the rest, as Spark's ExtractEquiJoinKeys. */
export function extractEquiJoinKeys(
  condition: Expr | null,
  left: readonly Attribute[],
  right: readonly Attribute[],
): { leftKeys: Expr[]; rightKeys: Expr[]; rest: Expr[] } {
  const leftIds = new Set(left.map((a) => a.id));
  const rightIds = new Set(right.map((a) => a.id));
  const leftKeys: Expr[] = [];
  const rightKeys: Expr[] = [];
  const rest: Expr[] = [];
  for (const c of splitConjuncts(condition)) {
    if (c.kind === "binary" && c.op === "=") {
      if (within(c.left, leftIds) && within(c.right, rightIds)) {
        leftKeys.push(c.left);
        rightKeys.push(c.right);
        continue;
      }
      if (within(c.left, rightIds) && within(c.right, leftIds)) {
        leftKeys.push(c.right);
        rightKeys.push(c.left);
        continue;
      }
    }
    rest.push(c);
  }
  return { leftKeys, rightKeys, rest };
}

/** The event-time delay carried by a join key expression (an attribute with watermark metadata). */
function keyHasWatermark(e: Expr): boolean {
  if (e.kind === "attr") return e.eventTimeDelayMs !== undefined;
  if (e.kind === "alias") return keyHasWatermark(e.child);
  return false;
}

/** Spark's findJoinKeyOrdinalForWatermark: the first join key carrying watermark metadata on either side, or -1. */
export function joinKeyOrdinalForWatermark(leftKeys: readonly Expr[], rightKeys: readonly Expr[]): number {
  for (let i = 0; i < leftKeys.length; i++) {
    if (keyHasWatermark(leftKeys[i] as Expr) || keyHasWatermark(rightKeys[i] as Expr)) return i;
  }
  return -1;
}
