import pytest

from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_and_sees_their_board(sign_in, board, member, live_server):
    page = sign_in(member)
    page.get_by_role("link", name="One Swindon Board").click()
    assert page.get_by_role("heading", name="One Swindon Board").is_visible()
    assert axe_violations(page) == []
