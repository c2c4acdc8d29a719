"""The site as gunicorn serves it in production, plus the bench's trivial page."""

import os

from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings

from config.startup import freeze_loaded_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
override_settings(ROOT_URLCONF="bench.urls").enable()
freeze_loaded_heap()
