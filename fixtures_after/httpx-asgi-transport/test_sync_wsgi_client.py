import pytest
from httpx import Client, WSGITransport

PAYSLIPS = {"e-17": "2024-05: 4200.00 EUR"}


def payroll_app(environ, start_response):
    employee = environ["PATH_INFO"].rsplit("/", 1)[-1]
    if employee in PAYSLIPS:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [PAYSLIPS[employee].encode()]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"unknown employee"]


@pytest.fixture
def payroll():
    with Client(
        transport=WSGITransport(app=payroll_app), base_url="http://payroll.test"
    ) as client:
        yield client


def test_payslip_for_employee(payroll):
    response = payroll.get("/payslips/e-17")
    assert response.status_code == 200
    assert response.text == "2024-05: 4200.00 EUR"


def test_unknown_employee(payroll):
    response = payroll.get("/payslips/e-99")
    assert response.status_code == 404
