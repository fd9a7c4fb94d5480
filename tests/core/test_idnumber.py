import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.idnumber import check_digit, make_id_number, validate_id_number
from dangjian.core.masking import mask_id_number, mask_phone

VALID = "11010519491231002X"  # the GB 11643 example number


def test_gb11643_example_number_is_valid():
    assert validate_id_number(VALID) == VALID


def test_lowercase_x_is_normalized():
    assert validate_id_number(VALID.lower()) == VALID


def test_wrong_check_digit_names_the_expected_digit():
    with pytest.raises(ValidationError, match="最后一位应为 X"):
        validate_id_number(VALID[:-1] + "1")


def test_wrong_length_says_how_long_it_is():
    with pytest.raises(ValidationError, match="当前为17位"):
        validate_id_number(VALID[:-1])


def test_letters_inside_are_refused():
    with pytest.raises(ValidationError, match="前17位应为数字"):
        validate_id_number("1101051949123100AX")


def test_impossible_birth_date_is_refused():
    first17 = "11010519490231002"
    with pytest.raises(ValidationError, match="出生日期 19490231 无效"):
        validate_id_number(first17 + check_digit(first17))


def test_birth_date_must_match_the_number():
    with pytest.raises(ValidationError, match="与填写的出生日期"):
        validate_id_number(VALID, birth_date=dt.date(1949, 12, 30))


def test_gender_must_match_the_number():
    assert validate_id_number(VALID, gender="female") == VALID
    with pytest.raises(ValidationError, match="性别"):
        validate_id_number(VALID, gender="male")


@given(
    born=st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2008, 12, 31)),
    seq=st.integers(min_value=0, max_value=499),
    gender=st.sampled_from(["male", "female"]),
)
def test_generated_numbers_validate_with_their_birth_date_and_gender(born, seq, gender):
    number = make_id_number("330203", born, seq, gender)
    assert validate_id_number(number, birth_date=born, gender=gender) == number


def test_masking_keeps_first_three_and_last_four():
    assert mask_id_number("330203198503120017") == "330***********0017"
    assert mask_phone("13800138000") == "138****8000"
