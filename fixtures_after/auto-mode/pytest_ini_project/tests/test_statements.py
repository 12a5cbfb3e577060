class TestMonthlyStatement:
    """A statement lists what happened to the wallet this month."""

    async def test_starts_with_the_opening_balance(self, wallet):
        assert wallet.balance == 100

    async def test_includes_deposits(self, wallet):
        await wallet.deposit(1)
        assert wallet.balance == 101


class TestStatementExport:
    async def test_export_after_deposit(self, wallet):
        await wallet.deposit(20)
        assert f"{wallet.balance} EUR" == "120 EUR"

    def test_export_format_is_csv(self):
        assert "balance,currency".split(",") == ["balance", "currency"]
