from django.core.exceptions import ValidationError


def normalise_nhs_number(value: str) -> str:
    return "".join(value.split()).replace("-", "")


def validate_nhs_number(value: str) -> None:
    """An NHS number is 10 digits; the last is a modulus 11 check digit."""
    digits = normalise_nhs_number(value)
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError("Enter an NHS number of 10 digits, for example 943 476 5919.", code="format")
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        raise ValidationError("This is not a valid NHS number: check the digits.", code="checksum")
