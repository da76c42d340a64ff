"""Money in whole đồng: integers only, and totals that always add up.

Rounding rule (the one place it is decided, and what the tests prove):

1. A work's amount is `points × factor × point value`, computed exactly in Decimal and rounded
   once, half up, to a whole đồng (`work_amount`).
2. That amount is split among the contributors by their shares (in hundredths of a percent,
   summing to exactly 100 %) with the **largest-remainder method** (`apportion`): everyone gets
   the floor of their exact part, then the đồng left over go one each to the largest
   remainders (ties: the larger share first, then the earlier line). The parts add up to the
   work's amount exactly; nobody is off by more than one đồng from their exact part.
3. When a month's total exceeds its fund cap, every line is scaled by `cap / total` with the
   same method (`apply_cap`), so the month pays exactly the cap and nobody gets more than
   before scaling. Adjustment lines are never scaled: they correct what was already paid.
4. Personal income tax withheld from a contributor's payment for the month (`withheld_tax`)
   is `payment × rate`, rounded once, half up, to a whole đồng, and only when the payment
   reaches the threshold; what they receive is `payment − tax`, so the two add up exactly.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

HUNDRED_PERCENT = 10_000  # shares are kept in hundredths of a percent ("basis points")


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` đồng in proportion to non-negative integer `weights`, exactly.

    Largest remainder (Hamilton's method): floors first, then one đồng each to the largest
    remainders; ties go to the larger weight, then to the earlier position.
    """
    if total < 0:
        raise ValueError("Số tiền cần chia phải không âm.")
    if any(w < 0 for w in weights):
        raise ValueError("Tỷ lệ chia phải không âm.")
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total == 0:
            return [0] * len(weights)
        raise ValueError("Không thể chia một số tiền theo các tỷ lệ đều bằng 0.")
    parts = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], -weights[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def apply_cap(amounts: Sequence[int], cap: int | None) -> list[int]:
    """Scale `amounts` down so they total exactly `cap`, if they exceed it; else unchanged."""
    if cap is None or sum(amounts) <= cap:
        return list(amounts)
    return apportion(cap, amounts)


def work_amount(points: Decimal, factor: Decimal, point_value: int) -> int:
    """`points × factor × point_value`, rounded once, half up, to a whole đồng."""
    exact = Decimal(points) * Decimal(factor) * Decimal(point_value)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pay_works(
    works: Sequence[tuple[Decimal, Decimal, Sequence[int]]], point_value: int, cap: int | None
) -> list[list[tuple[int, int]]]:
    """A month's money: for each work (points, factor, shares in basis points) and each of its
    shares, (amount before the cap, amount paid). Steps 1–3 of the rule above, in order."""
    splits = [
        apportion(work_amount(points, factor, point_value), shares)
        for points, factor, shares in works
    ]
    paid = iter(apply_cap([part for parts in splits for part in parts], cap))
    return [[(part, next(paid)) for part in parts] for parts in splits]


def withheld_tax(payment: int, rate: Decimal, threshold: int) -> int:
    """Tax withheld at source from one payment: `rate` % of it, from `threshold` đồng up.

    Circular 111/2013/TT-BTC art. 25: 10 % of the whole payment when it is 2.000.000 đ or
    more (the rate and threshold come from the regulation); nothing below the threshold.
    """
    if payment <= 0 or payment < threshold:
        return 0
    exact = Decimal(payment) * Decimal(rate) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def basis_points(percent: Decimal) -> int:
    """33.33 (%) → 3333; refuses anything finer than a hundredth of a percent."""
    scaled = Decimal(percent) * 100
    if scaled != scaled.to_integral_value():
        raise ValueError("Tỷ lệ chia chỉ lấy đến hai chữ số thập phân.")
    return int(scaled)


def equal_shares(count: int) -> list[Decimal]:
    """Percentages for `count` equal contributors that total exactly 100 (33.34, 33.33, 33.33)."""
    if count <= 0:
        return []
    return [Decimal(bp) / 100 for bp in apportion(HUNDRED_PERCENT, [1] * count)]


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(groups)


def vnd(amount: int | None) -> str:
    """Whole đồng as Vietnamese write them: `1.250.000 đ` (`-250.000 đ` for a deduction)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{_group(str(abs(int(amount))))} đ"


def points_text(value: Decimal | int | None) -> str:
    """Points with a decimal comma and no useless zeros: `12`, `12,5`, `4,17`."""
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{sign}{_group(whole)}{',' + fraction if fraction else ''}"


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _hundreds(n: int, full: bool) -> list[str]:
    """One group of three digits; `full` reads "không trăm", "lẻ" as inside a larger number."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    words = []
    if full or h:
        words += [_DIGITS[h], "trăm"]
    if t == 0:
        if u and (full or h):
            words.append("lẻ")
    elif t == 1:
        words.append("mười")
    else:
        words += [_DIGITS[t], "mươi"]
    if u:
        if u == 1 and t >= 2:
            words.append("mốt")
        elif u == 5 and t >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[u])
    return words


def _words(n: int, full: bool = False) -> list[str]:
    if n >= 10**9:
        high, low = divmod(n, 10**9)
        return _words(high, full) + ["tỷ"] + (_words(low, True) if low else [])
    words: list[str] = []
    started = full
    for value, unit in ((n // 10**6 % 1000, "triệu"), (n // 1000 % 1000, "nghìn"), (n % 1000, "")):
        if value:
            words += _hundreds(value, started) + ([unit] if unit else [])
            started = True
    return words


def amount_in_words(amount: int) -> str:
    """`Một triệu hai trăm năm mươi nghìn đồng` — the "bằng chữ" line of a payment list."""
    words = _words(abs(int(amount))) or ["không"]
    text = " ".join((["âm"] if amount < 0 else []) + words + ["đồng"])
    return text[0].upper() + text[1:]
