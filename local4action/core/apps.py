from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True  # this module also holds StaticFilesConfig
    name = "local4action.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .versions import watch_shown_models

        watch_shown_models()


class StaticFilesConfig(BaseStaticFilesConfig):
    """Django's static files, without the builds of the npm packages that no page loads
    (CommonJS, ES modules, unminified bundles, type declarations): fewer files to hash and
    compress at each deploy. The pages use the minified browser builds."""

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "*.cjs",
        "*.cjs.map",
        "*.cjs.js",
        "*.mjs",
        "*.d.ts",
        "*.esm.js",
        "*.esm.js.map",
        # Matched on names within each package's dist folder.
        "chart.js",
        "chart.js.map",
        "chart.umd.js",
        "chart.umd.js.map",
        "chunks",
        "helpers.*",
        "types",
        "cytoscape.umd.js",
        "leaflet-src.js",
        "leaflet-src.js.map",
    ]
