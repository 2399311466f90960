"""The portal's own middleware: Dutch first, a decode budget per request, and no
input that no browser sends.

Dutch first: the interface is Dutch unless the visitor chose English. Django's
LocaleMiddleware would follow the browser's Accept-Language, so a tenant with an
English phone would get English without asking for it. Here only the language switch
in the header (Django's set_language view, which sets the language cookie) changes the
language.

Each request has its own decode budget for the images it carries.

Input no browser sends (a NUL byte, bytes that are not UTF-8) is refused with a 400
before any view sees it.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.utils import translation
from django.utils.cache import patch_vary_headers

from portal import uploads


class ChosenLanguageMiddleware:
    """The language of the cookie the language switch sets, or Dutch."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class UploadBudgetMiddleware:
    """Give each request its own decode budget (`portal.uploads.PIXELS_PER_REQUEST`).

    One form may carry many files; without a total, a request with dozens of
    tiny files whose headers claim 60 megapixels each keeps a worker busy
    for seconds. The budget counts the pixels of every image checked while
    the request runs; the file that would pass it is refused with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with uploads.decode_budget(uploads.PIXELS_PER_REQUEST):
            return self.get_response(request)


class UnreadableInput(SuspiciousOperation):
    """The request carries a NUL byte or bytes that are not UTF-8."""


def _unreadable(raw: bytes) -> bool:
    if b"\x00" in raw:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def unreadable_input(request) -> str:
    """What of the request no browser would send, or "" when it is all readable.

    The query string and a urlencoded form are checked as the bytes that came in (WSGI
    hands the query over as latin-1), before Django turns bytes that are not UTF-8 into
    U+FFFD and so hides them. In the path Django has already put such bytes back as
    percent escapes (our URLs hold no percent sign), so the path's escapes are decoded
    once more. A multipart form can only be checked once Django has decoded it, where it
    has already replaced such bytes by U+FFFD (harmless text, and a person may paste that
    character too), so there only a NUL counts.
    """
    if _unreadable(unquote_to_bytes(request.path_info)):
        return "path"
    if _unreadable(unquote_to_bytes(get_bytes_from_wsgi(request.META, "QUERY_STRING", ""))):
        return "query string"
    if any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items()):
        return "cookie"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return ""
    if request.content_type == "application/x-www-form-urlencoded":
        return "form" if _unreadable(unquote_to_bytes(request.body)) else ""
    if request.content_type == "multipart/form-data":
        fields = request.POST.lists()
        return "form" if any("\x00" in name or "\x00" in "".join(values) for name, values in fields) else ""
    return ""


class RefuseUnreadableInputMiddleware:
    """Answer 400 Bad Request to a request whose path, query, cookies or form carry a NUL
    byte or bytes that are not UTF-8.

    No browser sends them. PostgreSQL refuses a NUL in any text (psycopg raises
    ValueError, a 500 wherever a view or the admin looks such a value up, the session
    key included), and bytes that are not UTF-8 only ever come from someone trying
    things. Refusing them here, before the session, the user or a view reads anything,
    keeps every view, the admin and allauth from having to. Only the session (lazily) and
    the language (from its cookie, against a fixed list) come before it.

    The 400 page (templates/400.html) is Django's own: the exception is a
    SuspiciousOperation, logged on django.security.UnreadableInput.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = unreadable_input(request)
        if where:
            raise UnreadableInput(f"NUL byte or bytes that are not UTF-8 in the {where}")
        return self.get_response(request)
