def login(test_client, user):
    return test_client(user)


def test_login():
    assert login(lambda user: f"hello {user}", "ada") == "hello ada"
