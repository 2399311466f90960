"""Work for later goes through the outbox (portal.outbox), nowhere else.

A task queued with `.delay()` / `.apply_async()` is lost when Redis does not
answer, and its error reaches a page whose change is already saved; a mail
sent from a page fails the page when the mail server does not answer. This
test reads the product's code (not the tests) and names every place that
does either, so a new e-mail or job written the old way is caught.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["portal", "contracts", "payments", "repairs", "allocation", "complaints"]
QUEUEING = {"delay", "apply_async", "send_task"}
MAILING = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers"}


def product_modules(root, apps):
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield path


def called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return ""


def is_mail_send(call: ast.Call) -> bool:
    """`send_mail(…)` and the like, or `message.send()` (a signal's `.send(sender, …)` has arguments)."""
    name = called_name(call)
    if name in MAILING:
        return True
    return (
        name == "send"
        and isinstance(call.func, ast.Attribute)
        and not call.args
        and all(keyword.arg == "fail_silently" for keyword in call.keywords)
    )


def is_fragile_on_commit(call: ast.Call) -> bool:
    """`transaction.on_commit(f)` without robust=True: an error in f reaches a page that has committed."""
    if called_name(call) != "on_commit":
        return False
    robust = next((k.value for k in call.keywords if k.arg == "robust"), None)
    return not (isinstance(robust, ast.Constant) and robust.value is True)


def offences(root=ROOT, apps=APPS):
    found = []
    for path in product_modules(root, apps):
        if path == root / "portal" / "outbox.py":
            continue
        where = path.relative_to(root)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if called_name(node) in QUEUEING:
                found.append(f"{where}:{node.lineno} queues a task: use portal.outbox.enqueue")
            elif is_fragile_on_commit(node):
                found.append(f"{where}:{node.lineno} runs work after the commit: use portal.outbox.enqueue")
            elif is_mail_send(node) and path.name != "tasks.py":
                found.append(f"{where}:{node.lineno} sends mail from a page: make it an outbox job")
    return found


def test_nothing_queues_work_or_sends_mail_around_the_outbox():
    assert offences() == []


def test_the_check_sees_a_task_queued_after_the_commit(tmp_path):
    """The check itself: the old way of queueing an e-mail is named."""
    app = tmp_path / "portal"
    app.mkdir()
    (app / "services.py").write_text(
        "from django.db import transaction\n"
        "from django.core.mail import send_mail\n\n"
        "def f(pk):\n"
        "    transaction.on_commit(lambda: message_email.delay(pk))\n"
        "    send_mail('Onderwerp', 'Tekst', None, ['a@example.nl'])\n"
        "    signal.send(sender=None)\n"
    )
    assert sorted(offences(tmp_path, ["portal"])) == [
        "portal/services.py:5 queues a task: use portal.outbox.enqueue",
        "portal/services.py:5 runs work after the commit: use portal.outbox.enqueue",
        "portal/services.py:6 sends mail from a page: make it an outbox job",
    ]
