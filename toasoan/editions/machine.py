"""Machine translation is a plug-in point (settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR, set by
the MACHINE_TRANSLATOR environment variable); none is configured by default, so nothing calls
the network. `MemoryTranslator` is an offline example: it fills segments from the termbase
when a whole segment is an official term ("UBND tỉnh Quảng Nam" → "Quang Nam Provincial
People's Committee" needs a human; "Hội An" → "Hoi An" does not).

A network service (DeepL, LibreTranslate…) is enabled the same way with wagtail-localize's own
classes, e.g. MACHINE_TRANSLATOR=wagtail_localize.machine_translators.deepl.DeepLTranslator
plus its OPTIONS in settings — a deliberate, reviewed choice of the paper.
"""

from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

from .models import Term
from .termbase import plain


class MemoryTranslator(BaseMachineTranslator):
    display_name = "Thuật ngữ (ngoại tuyến)"

    def can_translate(self, source_locale, target_locale):
        return source_locale.pk != target_locale.pk

    def translate(self, source_locale, target_locale, strings):
        terms = {
            plain(t.source).casefold(): t.target
            for t in Term.objects.filter(locale=target_locale, approved=True)
        }
        result = {}
        for string in strings:
            target = terms.get(plain(string.data).casefold())
            if target:
                result[string] = StringValue.from_plaintext(target)
        return result
