"""Dutch first, and a decode budget per request.

Dutch first: the interface is Dutch unless the visitor chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a
tenant with an English phone would get English without asking for it. Here
only the language switch in the header (Django's set_language view, which
sets the language cookie) changes the language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from portal import uploads


class ChosenLanguageMiddleware:
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
