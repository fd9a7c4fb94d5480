"""Password policy: a minimum length and a number of character classes (等保 expectations)."""

import string

from django.core.exceptions import ValidationError


class ComplexityValidator:
    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码至少需要 {self.min_length} 个字符", code="too_short")
        classes = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(c in string.punctuation or not c.isalnum() for c in password),
            ]
        )
        if classes < self.min_classes:
            raise ValidationError(
                f"密码需包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类",
                code="too_simple",
            )

    def get_help_text(self):
        return (
            f"至少 {self.min_length} 个字符，包含大写字母、小写字母、数字、符号中的至少 "
            f"{self.min_classes} 类"
        )
