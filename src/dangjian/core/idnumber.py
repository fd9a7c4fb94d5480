"""Chinese resident ID numbers (GB 11643-1999): structure, check digit, birth date, gender."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CODES[total % 11]


def normalize(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def birth_date_of(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def gender_of(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"


def validate_id_number(
    value: str, *, birth_date: dt.date | None = None, gender: str | None = None
) -> str:
    """Return the normalized number or raise ValidationError naming the problem in Chinese."""
    number = normalize(value)
    if len(number) != 18:
        raise ValidationError(f"身份证号应为18位，当前为{len(number)}位", code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号前17位应为数字，最后一位为数字或X", code="format")
    born = birth_date_of(number)
    if born is None or born.year < 1900 or born > dt.date.today():
        raise ValidationError(f"身份证号中的出生日期 {number[6:14]} 无效", code="birth_date")
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            f"身份证号校验位错误：最后一位应为 {expected}，请核对号码", code="check_digit"
        )
    if birth_date is not None and birth_date != born:
        raise ValidationError(
            f"身份证号中的出生日期（{born:%Y-%m-%d}）与填写的出生日期"
            f"（{birth_date:%Y-%m-%d}）不一致",
            code="birth_mismatch",
        )
    if gender is not None and gender in {"male", "female"} and gender != gender_of(number):
        raise ValidationError("身份证号中的性别与填写的性别不一致", code="gender_mismatch")
    return number


def make_id_number(region: str, born: dt.date, sequence: int, gender: str) -> str:
    """Build a valid number (demo data and tests). ``sequence`` gives digits 15-16."""
    order = f"{sequence % 100:02d}" + str(
        (sequence // 100 % 5) * 2 + (1 if gender == "male" else 0)
    )
    first17 = f"{region}{born:%Y%m%d}{order}"
    return first17 + check_digit(first17)
