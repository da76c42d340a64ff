"""Whole-đồng arithmetic: splits and caps always add up exactly (property-based)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toasoan.royalties.money import (
    HUNDRED_PERCENT,
    amount_in_words,
    apply_cap,
    apportion,
    basis_points,
    equal_shares,
    pay_works,
    points_text,
    vnd,
    withheld_tax,
    work_amount,
)

amounts = st.integers(min_value=0, max_value=10**12)
weights = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=40).filter(
    lambda ws: sum(ws) > 0
)


@st.composite
def shares_totalling_100(draw):
    """Any list of shares in hundredths of a percent (every one > 0) adding up to 100 %."""
    count = draw(st.integers(min_value=1, max_value=12))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(min_value=1, max_value=HUNDRED_PERCENT - 1),
                min_size=count - 1,
                max_size=count - 1,
                unique=True,
            )
        )
    )
    points = [0, *cuts, HUNDRED_PERCENT]
    return [b - a for a, b in zip(points, points[1:], strict=False)]


@given(amounts, weights)
def test_apportion_adds_up_exactly_and_stays_within_one_dong(total, ws):
    parts = apportion(total, ws)
    assert sum(parts) == total
    for part, weight in zip(parts, ws, strict=True):
        exact = Fraction(total * weight, sum(ws))
        assert exact - 1 < part < exact + 1
        assert part >= 0
        if weight == 0:
            assert part == 0


@given(st.integers(min_value=0, max_value=10**11), shares_totalling_100())
def test_a_work_split_by_any_shares_pays_exactly_its_amount(total, shares):
    assert sum(shares) == HUNDRED_PERCENT
    parts = apportion(total, shares)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)


@given(
    st.decimals(min_value=0, max_value=999, places=1),
    st.decimals(min_value="0.1", max_value="9.99", places=2),
    st.integers(min_value=0, max_value=5_000_000),
    shares_totalling_100(),
)
def test_points_times_value_then_split_is_whole_dong_and_exact(points, factor, value, shares):
    amount = work_amount(points, factor, value)
    assert isinstance(amount, int)
    assert abs(Decimal(amount) - points * factor * value) <= Decimal("0.5")
    assert sum(apportion(amount, shares)) == amount


@settings(max_examples=300)
@given(st.lists(st.integers(min_value=0, max_value=10**9), max_size=60), amounts)
def test_a_cap_pays_exactly_the_cap_when_exceeded_and_never_raises_anyone(lines, cap):
    paid = apply_cap(lines, cap)
    assert len(paid) == len(lines)
    if sum(lines) > cap:
        assert sum(paid) == cap
        assert all(0 <= p <= line for p, line in zip(paid, lines, strict=True))
    else:
        assert paid == lines


works = st.lists(
    st.tuples(
        st.decimals(min_value=0, max_value=99, places=1),
        st.decimals(min_value="0.5", max_value="3", places=2),
        shares_totalling_100(),
    ),
    max_size=25,
)


@settings(max_examples=200)
@given(works, st.integers(min_value=0, max_value=500_000), st.none() | amounts)
def test_a_whole_month_pays_each_work_its_amount_and_the_month_at_most_its_cap(
    month, point_value, cap
):
    """The ledger's own pipeline: work amounts, their splits, then the cap."""
    paid = pay_works(month, point_value, cap)
    work_totals = [work_amount(p, f, point_value) for p, f, _ in month]
    for (_, _, shares), parts, total in zip(month, paid, work_totals, strict=True):
        assert len(parts) == len(shares)
        assert sum(gross for gross, _ in parts) == total
    grand = sum(work_totals)
    paid_total = sum(amount for parts in paid for _, amount in parts)
    assert paid_total == (min(grand, cap) if cap is not None else grand)
    assert all(0 <= amount <= gross for parts in paid for gross, amount in parts)


@given(st.lists(st.integers(min_value=0, max_value=10**9), max_size=30))
def test_no_cap_changes_nothing(lines):
    assert apply_cap(lines, None) == lines


@given(st.integers(min_value=1, max_value=500))
def test_equal_shares_total_exactly_100_percent(count):
    shares = equal_shares(count)
    assert sum(shares) == 100
    assert max(shares) - min(shares) <= Decimal("0.01")
    assert sum(basis_points(s) for s in shares) == HUNDRED_PERCENT


def test_largest_remainder_gives_the_leftover_dong_to_the_largest_fractions():
    # 100 đ for 1/3 each: 33.33… → 34, 33, 33 (the tie goes to the first line).
    assert apportion(100, [1, 1, 1]) == [34, 33, 33]
    # 1.000.001 đ at 50 % / 30 % / 20 %: exact 500000.5 / 300000.3 / 200000.2.
    assert apportion(1_000_001, [5000, 3000, 2000]) == [500_001, 300_000, 200_000]
    assert apply_cap([600_000, 400_000, 250_000], 1_000_000) == [480_000, 320_000, 200_000]


def test_refusals():
    with pytest.raises(ValueError):
        apportion(10, [0, 0])
    with pytest.raises(ValueError):
        apportion(-1, [1])
    with pytest.raises(ValueError):
        basis_points(Decimal("33.333"))


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "0 đ"),
        (950, "950 đ"),
        (1_250_000, "1.250.000 đ"),
        (-250_000, "-250.000 đ"),
        (12_345_678_901, "12.345.678.901 đ"),
    ],
)
def test_vnd_is_written_the_vietnamese_way(amount, text):
    assert vnd(amount) == text


def test_points_use_a_decimal_comma():
    assert points_text(Decimal("12.0")) == "12"
    assert points_text(Decimal("12.5")) == "12,5"
    assert points_text(Decimal("4.16666")) == "4,17"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (21_015_000, "Hai mươi mốt triệu không trăm mười lăm nghìn đồng"),
        (105, "Một trăm lẻ năm đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (0, "Không đồng"),
    ],
)
def test_amount_in_words_for_the_payment_list(amount, words):
    assert amount_in_words(amount) == words


# --- personal income tax withheld at source (thuế TNCN) ----------------------------------------
TEN = Decimal("10")


def test_tax_is_withheld_only_from_payments_at_or_over_the_threshold():
    assert withheld_tax(1_999_999, TEN, 2_000_000) == 0
    assert withheld_tax(2_000_000, TEN, 2_000_000) == 200_000
    assert withheld_tax(3_456_789, TEN, 2_000_000) == 345_679  # 345.678,9 rounds half up
    assert withheld_tax(2_000_005, TEN, 2_000_000) == 200_001  # 200.000,5 rounds up
    assert withheld_tax(2_000_000, Decimal("7.5"), 2_000_000) == 150_000
    assert withheld_tax(-2_500_000, TEN, 0) == 0  # a clawback is not taxed
    assert withheld_tax(0, TEN, 0) == 0


@given(
    payment=st.integers(min_value=-(10**9), max_value=10**12),
    rate=st.decimals(min_value=0, max_value=100, places=2),
    threshold=st.integers(min_value=0, max_value=10**10),
)
def test_tax_and_what_is_received_add_up_to_the_payment(payment, rate, threshold):
    tax = withheld_tax(payment, rate, threshold)
    assert isinstance(tax, int)
    if payment < threshold or payment <= 0:
        assert tax == 0
    else:
        assert 0 <= tax <= payment
        assert abs(Fraction(tax) - Fraction(payment) * Fraction(rate) / 100) <= Fraction(1, 2)
