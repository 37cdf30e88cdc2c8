"""`qimma serve` (the web app) and `qimma user add` (accounts for serving beyond loopback)."""

from __future__ import annotations

import sys

import typer

from qimma import i18n
from qimma.cli.common import Lang, LangOption, console, set_lang
from qimma.errors import InputError

user_app = typer.Typer()


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", "-p"),
    store: str | None = typer.Option(
        None,
        "--store",
    ),
    allow_host: list[str] = typer.Option(
        [],
        "--allow-host",
    ),
    secret_key: str | None = typer.Option(
        None,
        "--secret-key",
        envvar="QIMMA_SECRET_KEY",
    ),
    lang: Lang = LangOption,
) -> None:
    """Start the web app (default scenario loaded on first start).

    Examples (the help text is in the `help` section of the word table):

      qimma serve

      qimma serve --port 8080 --store postgresql://qimma@db/qimma

      qimma user add alice && qimma serve --host 0.0.0.0 --allow-host qimma.example.org
    """
    import uvicorn

    from qimma.store.db import open_store
    from qimma.web.app import create_app
    from qimma.web.repo import Repo
    from qimma.web.security import allowed_hosts, is_loopback

    language = set_lang(lang)
    exposed = not is_loopback(host)
    if exposed and Repo(open_store(store)).count_users() == 0:
        raise InputError.single(
            f"serving on {host} requires sign-in, and there is no user yet",
            f"التشغيل على {host} يتطلب تسجيل الدخول، ولا يوجد مستخدم بعد",
            fix_en="create one first: qimma user add NAME",
            fix_ar="أنشئ مستخدمًا أولًا: qimma user add NAME",
        )
    app = create_app(
        store,
        require_login=exposed,
        secure_cookies=exposed,
        secret_key=secret_key,
        hosts=allowed_hosts(host, tuple(allow_host)),
        stop_workers=True,
    )
    console.print(i18n.t("cli.serving", language, host=host, port=port))
    uvicorn.run(app, host=host, port=port, log_level="warning")


@user_app.command("add")
def user_add(
    name: str = typer.Argument(...),
    store: str | None = typer.Option(None, "--store"),
    password_stdin: bool = typer.Option(False, "--password-stdin"),
    lang: Lang = LangOption,
) -> None:
    """Create a user who can sign in to the web app.

    Examples (the help text is in the `help` section of the word table):

      qimma user add alice

      qimma user add bob --password-stdin --lang ar
    """
    from qimma.store.db import open_store
    from qimma.web.repo import Repo
    from qimma.web.security import hash_password

    language = set_lang(lang)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt(
            i18n.t("cli.password", language), hide_input=True, confirmation_prompt=True
        )
    if len(password) < 8:
        raise InputError.single(
            "the password must have at least 8 characters",
            "يجب أن تتكون كلمة المرور من 8 أحرف على الأقل",
        )
    repo = Repo(open_store(store))
    if repo.password_hash(name) is not None:
        raise InputError.single(f"user '{name}' already exists", f"المستخدم '{name}' موجود مسبقًا")
    repo.add_user(name, hash_password(password))
    console.print(i18n.t("cli.user_created", language, name=name))
