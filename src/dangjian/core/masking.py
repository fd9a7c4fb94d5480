"""How personal data looks on screen and in exports by default."""


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_phone(phone: str) -> str:
    if not phone or len(phone) < 7:
        return phone
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
