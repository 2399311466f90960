"""The WSGI entry point for servers that face the public: gunicorn, the image.

It refuses to start when the settings are unfit for the public (see
portal.checks): DEBUG on or the development key always, payments going to
the demo bank unless ALLOW_DEMO=1 says the server is a demonstration.
runserver, and so `manage.py demo`, does not come through here.
"""

import os

from django.core.wsgi import get_wsgi_application

from portal.checks import refuse_unfit_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()
# After the set-up above: every app has registered its production checks by now.
refuse_unfit_start()
