"""Words of the web app in English and Arabic."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "app": {"en": "qimma", "ar": "قمة"},
    "tagline": {"en": "Negotiation forecasts", "ar": "توقعات المفاوضات"},
    "scenarios": {"en": "Scenarios", "ar": "السيناريوهات"},
    "evidence": {"en": "Evidence", "ar": "الأدلة"},
    "backtest": {"en": "Backtest", "ar": "الاختبار الرجعي"},
    "switch_lang": {"en": "العربية", "ar": "English"},
    "new_scenario": {"en": "New scenario", "ar": "سيناريو جديد"},
    "import": {"en": "Import a file", "ar": "استيراد ملف"},
    "import_help": {
        "en": "YAML, the classic CSV table, KTAB CSV or XML, or Decide format; at most 2 MB.",
        "ar": "YAML أو جدول CSV التقليدي أو KTAB بصيغة CSV أو XML أو صيغة Decide؛ "
        "بحد أقصى 2 ميغابايت.",
    },
    "open": {"en": "Open", "ar": "فتح"},
    "export": {"en": "Export YAML", "ar": "تصدير YAML"},
    "duplicate": {"en": "Duplicate", "ar": "نسخ"},
    "delete": {"en": "Delete", "ar": "حذف"},
    "confirm_delete": {
        "en": "Delete this scenario? You can undo for 10 minutes.",
        "ar": "حذف هذا السيناريو؟ يمكنك التراجع خلال 10 دقائق.",
    },
    "deleted": {"en": "Scenario deleted.", "ar": "حُذف السيناريو."},
    "undo": {"en": "Undo", "ar": "تراجع"},
    "id": {"en": "Id", "ar": "المعرّف"},
    "title_en": {"en": "Title (English)", "ar": "العنوان (بالإنجليزية)"},
    "title_ar": {"en": "Title (Arabic)", "ar": "العنوان (بالعربية)"},
    "updated": {"en": "Updated", "ar": "آخر تعديل"},
    "create": {"en": "Create", "ar": "إنشاء"},
    "save": {"en": "Save", "ar": "حفظ"},
    "cancel": {"en": "Cancel", "ar": "إلغاء"},
    "actors": {"en": "Actors", "ar": "الفاعلون"},
    "issues": {"en": "Issues", "ar": "القضايا"},
    "stances": {"en": "Stances (actor × issue)", "ar": "المواقف (الفاعل × القضية)"},
    "stance_help": {
        "en": "Each cell: position · salience · capability. Click a cell to edit it, or move "
        "with the arrow keys and press Enter (Escape cancels).",
        "ar": "كل خانة: الموقف · الأهمية · القدرة. انقر الخانة لتعديلها، أو تنقّل بالأسهم "
        "واضغط Enter (Escape للإلغاء).",
    },
    "edit_cell": {"en": "Edit the stance", "ar": "تعديل الموقف"},
    "name_en": {"en": "Name (English)", "ar": "الاسم (بالإنجليزية)"},
    "name_ar": {"en": "Name (Arabic)", "ar": "الاسم (بالعربية)"},
    "add_actor": {"en": "Add actor", "ar": "إضافة فاعل"},
    "add_issue": {"en": "Add issue", "ar": "إضافة قضية"},
    "status_quo": {"en": "Status quo", "ar": "الوضع الراهن"},
    "anchor_low": {"en": "Label of 0", "ar": "وسم القيمة 0"},
    "anchor_high": {"en": "Label of 100", "ar": "وسم القيمة 100"},
    "scale": {"en": "Scale", "ar": "المقياس"},
    "position": {"en": "Position", "ar": "الموقف"},
    "salience": {"en": "Salience", "ar": "الأهمية"},
    "capability": {"en": "Capability", "ar": "القدرة"},
    "low": {"en": "low", "ar": "الأدنى"},
    "high": {"en": "high", "ar": "الأعلى"},
    "basis": {"en": "Basis", "ar": "الأساس"},
    "explicit": {"en": "explicit", "ar": "صريح"},
    "inferred": {"en": "inferred", "ar": "مستنتج"},
    "assumption": {"en": "assumption", "ar": "افتراض"},
    "no_stance": {"en": "no position", "ar": "لا موقف"},
    "evidence_links": {"en": "Evidence", "ar": "الأدلة"},
    "evidence_help": {
        "en": "The quoted passages behind each stance; open an entry to read them.",
        "ar": "المقاطع المقتبسة التي يستند إليها كل موقف؛ افتح أي بند لقراءتها.",
    },
    "run": {"en": "Run a forecast", "ar": "تشغيل التوقع"},
    "models": {"en": "Models", "ar": "النماذج"},
    "draws": {"en": "Monte Carlo draws", "ar": "سحوبات مونت كارلو"},
    "draws_help": {
        "en": "1 = each model once on the point values; more = Monte Carlo over the stance ranges, "
        "with the named outcomes' probabilities.",
        "ar": "1 = كل نموذج مرة واحدة على القيم المركزية؛ أكثر = مونت كارلو على نطاقات المواقف، "
        "مع احتمالات النتائج المسماة.",
    },
    "mc": {"en": "Monte Carlo over the stance ranges", "ar": "مونت كارلو على نطاقات المواقف"},
    "mean": {"en": "Mean", "ar": "المتوسط"},
    "median": {"en": "Median", "ar": "الوسيط"},
    "interval50": {"en": "50% interval", "ar": "مجال 50٪"},
    "interval80": {"en": "80% interval", "ar": "مجال 80٪"},
    "interval90": {"en": "90% interval", "ar": "مجال 90٪"},
    "outcomes": {"en": "Named outcomes", "ar": "النتائج المسماة"},
    "outcome": {"en": "Outcome", "ar": "النتيجة"},
    "probability": {"en": "Probability", "ar": "الاحتمال"},
    "wording": {"en": "In words (ICD-203)", "ar": "بالكلمات (ICD-203)"},
    "confidence": {"en": "Confidence", "ar": "الثقة"},
    "seeds_estimate": {"en": "The seeds' estimate", "ar": "تقدير المصدرين"},
    "agrees": {"en": "agrees", "ar": "متفق"},
    "higher": {"en": "qimma higher", "ar": "قمة أعلى"},
    "lower": {"en": "qimma lower", "ar": "قمة أدنى"},
    "pooled_note": {
        "en": "All models' draws pooled, each model weighted equally.",
        "ar": "سحوبات كل النماذج مجمّعة، لكل نموذج وزن متساوٍ.",
    },
    "levers": {"en": "Levers", "ar": "الروافع"},
    "whatif_help": {
        "en": "Pick levers; the scenario runs with and without them on the same random draws, "
        "and the results are shown side by side.",
        "ar": "اختر الروافع؛ يُشغَّل السيناريو بها وبدونها على السحوبات العشوائية نفسها، "
        "وتُعرض النتائج جنبًا إلى جنب.",
    },
    "run_whatif": {"en": "Run the what-if", "ar": "تشغيل ماذا لو"},
    "no_levers": {
        "en": "This scenario declares no levers.",
        "ar": "لا يعلن هذا السيناريو أي رافعة.",
    },
    "pick_lever": {"en": "pick at least one lever", "ar": "اختر رافعة واحدة على الأقل"},
    "baseline": {"en": "Baseline", "ar": "خط الأساس"},
    "with_levers": {"en": "With the levers", "ar": "مع الروافع"},
    "shift": {"en": "Shift", "ar": "التحول"},
    "shift_range": {"en": "Shift, 90% range", "ar": "التحول، مدى 90٪"},
    "delta": {"en": "Change", "ar": "التغير"},
    "decisive": {"en": "Decisive mover", "ar": "المحرّك الحاسم"},
    "whatif_runs": {"en": "Earlier what-ifs", "ar": "عمليات ماذا لو السابقة"},
    "seed": {"en": "Seed", "ar": "البذرة"},
    "runs": {"en": "Runs", "ar": "عمليات التشغيل"},
    "queued": {"en": "queued", "ar": "في الانتظار"},
    "running": {"en": "running…", "ar": "قيد التشغيل…"},
    "done": {"en": "done", "ar": "اكتمل"},
    "failed": {"en": "failed", "ar": "فشل"},
    "results": {"en": "Results", "ar": "النتائج"},
    "issue": {"en": "Issue", "ar": "القضية"},
    "ensemble": {"en": "Ensemble", "ar": "المتوسط"},
    "nearest": {"en": "Nearest labelled point", "ar": "أقرب نقطة موسومة"},
    "download_json": {"en": "Download JSON", "ar": "تنزيل JSON"},
    "download_report": {"en": "Report (PDF)", "ar": "التقرير (PDF)"},
    "download_html": {"en": "Report (HTML, zip)", "ar": "التقرير (HTML مضغوط)"},
    "preparing": {
        "en": "Preparing the report… {seconds} s (charts and PDF take up to half a minute)",
        "ar": "جارٍ إعداد التقرير… {seconds} ث (تستغرق الرسوم وملف PDF حتى نصف دقيقة)",
    },
    "report_ready": {"en": "The report is downloaded.", "ar": "نُزّل التقرير."},
    "charts": {"en": "Charts", "ar": "الرسوم البيانية"},
    "chart_models": {"en": "Each model's forecast per issue", "ar": "توقع كل نموذج لكل قضية"},
    "chart_salience": {
        "en": "Salience of each issue to each actor",
        "ar": "أهمية كل قضية لكل فاعل",
    },
    "chart_rounds": {"en": "Outcome by round", "ar": "النتيجة حسب الجولة"},
    "backtest_help": {
        "en": "Every model forecast 364 EU legislative issues with known outcomes (DEU III); "
        "errors on the 0–100 scale, 95% bootstrap intervals in brackets. Lower error is better.",
        "ar": "توقّع كل نموذج 364 قضية تشريعية أوروبية معروفة النتائج (DEU III)؛ الأخطاء على "
        "مقياس 0–100، وبين القوسين فترات bootstrap بنسبة 95%. الخطأ الأقل أفضل.",
    },
    "whatif": {"en": "What-if", "ar": "ماذا لو"},
    "not_available": {
        "en": "This feature has not landed in this version of qimma yet.",
        "ar": "هذه الميزة غير متاحة بعد في هذا الإصدار من قمة.",
    },
    "login": {"en": "Sign in", "ar": "تسجيل الدخول"},
    "logout": {"en": "Sign out", "ar": "تسجيل الخروج"},
    "username": {"en": "User name", "ar": "اسم المستخدم"},
    "password": {"en": "Password", "ar": "كلمة المرور"},
    "bad_login": {
        "en": "Wrong user name or password.",
        "ar": "اسم المستخدم أو كلمة المرور غير صحيحة.",
    },
    "login_locked": {
        "en": "Too many failed sign-ins. Try again in {minutes} min.",
        "ar": "محاولات دخول فاشلة كثيرة. حاول مجددًا بعد {minutes} دقيقة.",
    },
    "error": {"en": "Something is wrong with the input", "ar": "في المدخلات خطأ"},
    "not_found": {"en": "Not found", "ar": "غير موجود"},
    "error_title": {"en": "This page cannot be shown", "ar": "تعذّر عرض هذه الصفحة"},
    "bad_host": {
        "en": "This server does not answer to that name. Open it by its own address, or start "
        "it with that name: qimma serve --allow-host NAME",
        "ar": "لا يستجيب هذا الخادم لهذا الاسم. افتحه بعنوانه، أو شغّله بهذا الاسم: "
        "qimma serve --allow-host NAME",
    },
    "bad_origin": {
        "en": "This form was sent from another site and was refused.",
        "ar": "أُرسل هذا النموذج من موقع آخر فرُفض.",
    },
    "csrf_refused": {
        "en": "This form has expired or did not come from qimma. Reload the page and try again.",
        "ar": "انتهت صلاحية هذا النموذج أو لم يصدر عن قمة. أعد تحميل الصفحة وحاول مجددًا.",
    },
    "bad_method": {
        "en": "This address cannot be opened this way. Go back and use the page's buttons.",
        "ar": "لا يمكن فتح هذا العنوان بهذه الطريقة. ارجع واستخدم أزرار الصفحة.",
    },
    "bad_address": {
        "en": "This address is not valid (check the number in it)",
        "ar": "هذا العنوان غير صالح (تحقق من الرقم الذي فيه)",
    },
    "server_error": {
        "en": "Something went wrong on the server; nothing was changed. The error is in the "
        "server's log. Try again, or go back.",
        "ar": "حدث خطأ في الخادم ولم يتغير شيء. الخطأ مسجل في سجل الخادم. حاول مجددًا أو ارجع.",
    },
    "request_refused": {"en": "The request was refused.", "ar": "رُفض الطلب."},
    "too_large": {"en": "the request is too large", "ar": "الطلب كبير جدًا"},
    "scenario_not_found": {"en": "scenario not found", "ar": "السيناريو غير موجود"},
    "back": {"en": "Back", "ar": "رجوع"},
    "search": {"en": "Search", "ar": "بحث"},
    "search_help": {
        "en": "Keywords in Arabic or English; actor and issue names also match their translation.",
        "ar": "كلمات بالعربية أو الإنجليزية؛ أسماء الفاعلين والقضايا تطابق ترجمتها أيضًا.",
    },
    "in_context": {"en": "in context", "ar": "في سياقه"},
    "no_hits": {"en": "No passage matches.", "ar": "لا يطابق أي مقطع."},
    "documents": {"en": "Documents in the corpus", "ar": "مستندات المدوّنة"},
    "passages": {"en": "passages", "ar": "مقاطع"},
    "add_document": {"en": "Add a document", "ar": "إضافة مستند"},
    "add_document_help": {
        "en": ".txt, .md, .html or .pdf; at most 5 MB.",
        "ar": ".txt أو .md أو .html أو .pdf؛ بحد أقصى 5 ميغابايت.",
    },
    "title": {"en": "Title", "ar": "العنوان"},
    "author": {"en": "Author", "ar": "الكاتب"},
    "date": {"en": "Date", "ar": "التاريخ"},
}


def words(lang: str) -> dict[str, str]:
    return {k: v[lang] for k, v in WORDS.items()}
