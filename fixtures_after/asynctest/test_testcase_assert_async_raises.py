"""Token validation tests using asynctest's assertAsync* helpers."""

import unittest
import warnings


class TokenExpired(Exception):
    pass


async def validate(token):
    if token.startswith("old-"):
        raise TokenExpired(f"{token} expired")
    if token.startswith("legacy-"):
        warnings.warn("legacy token format", DeprecationWarning, stacklevel=2)
    return token.split("-", 1)[1]


class TestValidate(unittest.IsolatedAsyncioTestCase):
    async def test_expired_token_is_rejected(self):
        with self.assertRaises(TokenExpired):
            await validate("old-42")

    async def test_error_names_the_token(self):
        # the message is shown to the user
        with self.assertRaisesRegex(TokenExpired, "old-7 expired"):
            await validate("old-7")  # keep

    async def test_legacy_tokens_warn(self):
        with self.assertWarns(DeprecationWarning):
            await validate("legacy-1")

    async def test_fresh_token_passes(self):
        self.assertEqual(await validate("new-9"), "9")
