<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uz_UZ">
<context>
    <name></name>
    <message>
        <source>free</source>
        <extracomment>Short names of the media types catalogues offer (the rest are shown as given).</extracomment>
        <translation>bepul</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>namuna</translation>
    </message>
    <message>
        <source>preview</source>
        <translation>oldindan koʻrish</translation>
    </message>
    <message>
        <source>to borrow</source>
        <translation>vaqtincha olish uchun</translation>
    </message>
    <message>
        <source>to buy</source>
        <translation>sotib olish uchun</translation>
    </message>
    <message>
        <source>by subscription</source>
        <translation>obuna orqali</translation>
    </message>
    <message>
        <source>The catalogue offers no download of this book.</source>
        <translation>Katalog bu kitobni yuklab olishni taklif qilmaydi.</translation>
    </message>
    <message>
        <source>This book must be borrowed or bought on the library&apos;s website.</source>
        <translation>Bu kitobni kutubxona saytida vaqtincha olish yoki sotib olish kerak.</translation>
    </message>
    <message>
        <source>This book is offered only as {formats}, which Mutolaa cannot read or which needs a DRM licence.</source>
        <translation>Bu kitob faqat {formats} shaklida taklif qilinadi: Mutolaa bunday fayllarni oʻqiy olmaydi yoki ular uchun DRM litsenziyasi kerak.</translation>
    </message>
    <message>
        <source>Details of the chosen book</source>
        <translation>Tanlangan kitob tafsilotlari</translation>
    </message>
    <message>
        <source>Authors:</source>
        <translation>Mualliflar:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Til:</translation>
    </message>
    <message>
        <source>Published:</source>
        <translation>Nashr etilgan:</translation>
    </message>
    <message>
        <source>Subjects:</source>
        <translation>Mavzular:</translation>
    </message>
    <message>
        <source>Formats:</source>
        <translation>Formatlar:</translation>
    </message>
    <message>
        <source>Cover</source>
        <translation>Muqova</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Nomi</translation>
    </message>
    <message>
        <source>Authors</source>
        <translation>Mualliflar</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Til</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>Nashr etilgan</translation>
    </message>
    <message>
        <source>Subjects</source>
        <translation>Mavzular</translation>
    </message>
    <message>
        <source>Formats offered</source>
        <translation>Taklif qilingan formatlar</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Qisqacha mazmun</translation>
    </message>
    <message>
        <source>Whether the book can be downloaded</source>
        <translation>Kitobni yuklab olish mumkinmi</translation>
    </message>
    <message>
        <source>Download the book into the library</source>
        <translation>Kitobni kutubxonaga yuklab olish</translation>
    </message>
    <message>
        <source>&amp;Read</source>
        <translation>&amp;Oʻqish</translation>
    </message>
    <message>
        <source>Read the book from your library</source>
        <translation>Kitobni kutubxonangizdan oʻqish</translation>
    </message>
    <message>
        <source>Choose a book to see its details.</source>
        <translation>Tafsilotlarini koʻrish uchun kitobni tanlang.</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Navbatda</translation>
    </message>
    <message>
        <source>Queuing…</source>
        <translation>Navbatga qoʻyilmoqda…</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Yuklab olish</translation>
    </message>
    <message>
        <source>This book is in your library.</source>
        <translation>Bu kitob kutubxonangizda bor.</translation>
    </message>
    <message>
        <source>Queued: it downloads in the background, then appears in your library.</source>
        <translation>Navbatga qoʻyildi: kitob fonda yuklab olinadi, soʻng kutubxonangizda paydo boʻladi.</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Sahifalar</translation>
    </message>
    <message>
        <source>{size} B</source>
        <extracomment>The list&apos;s columns. The panel&apos;s actions, in the order of the buttons and the context menu. The least time between two readings of the queue (milliseconds). Starting widths of the columns (the problem takes the rest). The progress bars count in thousandths (a QProgressBar holds 32-bit values only).</extracomment>
        <translation>{size} bayt</translation>
    </message>
    <message>
        <source>{size} KB</source>
        <translation>{size} KB</translation>
    </message>
    <message>
        <source>{size} MB</source>
        <translation>{size} MB</translation>
    </message>
    <message>
        <source>{size} GB</source>
        <translation>{size} GB</translation>
    </message>
    <message>
        <source>{size}/s</source>
        <translation>{size}/s</translation>
    </message>
    <message>
        <source>{seconds} s left</source>
        <translation>{seconds} soniya qoldi</translation>
    </message>
    <message>
        <source>{minutes} min left</source>
        <translation>{minutes} daqiqa qoldi</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min left</source>
        <translation>{hours} soat {minutes} daqiqa qoldi</translation>
    </message>
    <message>
        <source>Waiting to try again</source>
        <translation>Qayta urinish kutilmoqda</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Yuklab olinmoqda</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Toʻxtatib turilgan</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Tayyor</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Xato</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Bekor qilingan</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nomi</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Holati</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Jarayon</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tezlik</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Qolgan vaqt</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Muammo</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Yuklanmalar</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Toʻxtatib turish</translation>
    </message>
    <message>
        <source>Pause the chosen download</source>
        <translation>Tanlangan yuklanmani toʻxtatib turish</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Davom ettirish</translation>
    </message>
    <message>
        <source>Resume the chosen download</source>
        <translation>Tanlangan yuklanmani davom ettirish</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Qayta urinish</translation>
    </message>
    <message>
        <source>Try the chosen download again now</source>
        <translation>Tanlangan yuklanmani hozir qayta urinib koʻrish</translation>
    </message>
    <message>
        <source>Cancel the chosen download</source>
        <translation>Tanlangan yuklanmani bekor qilish</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>Roʻyxatdan olib tashlash</translation>
    </message>
    <message>
        <source>Remove the chosen download from the list</source>
        <translation>Tanlangan yuklanmani roʻyxatdan olib tashlash</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Yuqoriga</translation>
    </message>
    <message>
        <source>Download the chosen one earlier</source>
        <translation>Tanlanganini oldinroq yuklab olish</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Pastga</translation>
    </message>
    <message>
        <source>Download the chosen one later</source>
        <translation>Tanlanganini keyinroq yuklab olish</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Oʻqilgan</translation>
    </message>
    <message>
        <source>Read the chosen downloaded book</source>
        <translation>Tanlangan yuklab olingan kitobni oʻqish</translation>
    </message>
    <message>
        <source>Speed limit:</source>
        <translation>Tezlik chegarasi:</translation>
    </message>
    <message>
        <source>Speed limit for downloads</source>
        <translation>Yuklab olish tezligi chegarasi</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Cheklovsiz</translation>
    </message>
    <message>
        <source> KB/s</source>
        <translation> KB/s</translation>
    </message>
    <message>
        <source>What the downloads are doing</source>
        <translation>Yuklanmalar holati</translation>
    </message>
    <message>
        <source>The downloads could not be read: {reason}</source>
        <translation>Yuklanmalar roʻyxatini oʻqib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Progress of “{name}”</source>
        <translation>“{name}” yuklab olinishi jarayoni</translation>
    </message>
    <message>
        <source>{received} of {total}</source>
        <translation>{received} / {total}</translation>
    </message>
    <message>
        <source>Download actions</source>
        <translation>Yuklanma amallari</translation>
    </message>
    <message>
        <source>The download could not be changed: {reason}</source>
        <translation>Yuklanmani oʻzgartirib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Qoʻshilgan</translation>
    </message>
    <message>
        <source>Library</source>
        <extracomment>How long a passing note (&quot;Settings saved&quot;) stays in the status bar, in milliseconds.</extracomment>
        <translation>Kutubxona</translation>
    </message>
    <message>
        <source>Filter by title or author</source>
        <translation>Nomi yoki muallifi boʻyicha saralash</translation>
    </message>
    <message>
        <source>Filter the library</source>
        <translation>Kutubxonani saralash</translation>
    </message>
    <message>
        <source>All shelves</source>
        <translation>Barcha javonlar</translation>
    </message>
    <message>
        <source>Only books on this shelf</source>
        <translation>Faqat shu javondagi kitoblar</translation>
    </message>
    <message>
        <source>Sort the books by</source>
        <translation>Kitoblarni saralash</translation>
    </message>
    <message>
        <source>&amp;List</source>
        <translation>&amp;Roʻyxat</translation>
    </message>
    <message>
        <source>Show the books as a list</source>
        <translation>Kitoblarni roʻyxat koʻrinishida koʻrsatish</translation>
    </message>
    <message>
        <source>&amp;Covers</source>
        <translation>&amp;Muqovalar</translation>
    </message>
    <message>
        <source>Show the books as a grid of covers</source>
        <translation>Kitoblarni muqovalar toʻri koʻrinishida koʻrsatish</translation>
    </message>
    <message>
        <source>Books in the library</source>
        <translation>Kutubxonadagi kitoblar</translation>
    </message>
    <message>
        <source>Covers of the books in the library</source>
        <translation>Kutubxonadagi kitoblar muqovalari</translation>
    </message>
    <message>
        <source>Book &amp;details…</source>
        <translation>Kitob &amp;tafsilotlari…</translation>
    </message>
    <message>
        <source>&amp;Remove from the library</source>
        <translation>Kutubxonadan &amp;oʻchirish</translation>
    </message>
    <message>
        <source>Reading now</source>
        <translation>Hozir oʻqilmoqda</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Oʻqib tugatilgan</translation>
    </message>
    <message>
        <source>Only books of this format</source>
        <translation>Faqat shu formatdagi kitoblar</translation>
    </message>
    <message>
        <source>All formats</source>
        <translation>Barcha formatlar</translation>
    </message>
    <message>
        <source>Only books in this language</source>
        <translation>Faqat shu tildagi kitoblar</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>Barcha tillar</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Your library is empty&lt;/h2&gt;&lt;p&gt;Add books with &lt;b&gt;File → Import files…&lt;/b&gt; (Ctrl+O) or &lt;b&gt;File → Import a folder…&lt;/b&gt;, or drag files and folders here.&lt;/p&gt;&lt;p&gt;Mutolaa reads PDF, EPUB, FB2, MOBI, XPS, CBZ and TXT, and searches Uzbek in both scripts, Russian and English.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Kutubxonangiz boʻsh&lt;/h2&gt;&lt;p&gt;Kitoblarni &lt;b&gt;Fayl → Fayllarni import qilish…&lt;/b&gt; (Ctrl+O) yoki &lt;b&gt;Fayl → Jildni import qilish…&lt;/b&gt; orqali qoʻshing yoki fayl va jildlarni shu yerga sudrab olib keling.&lt;/p&gt;&lt;p&gt;Mutolaa PDF, EPUB, FB2, MOBI, XPS, CBZ va TXT fayllarini oʻqiydi hamda oʻzbekcha (ikkala yozuvda), ruscha va inglizcha matnlarda qidiradi.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Search every book: words, &quot;phrases&quot;, prefix*</source>
        <extracomment>The item role holding a note hit&apos;s annotation id (page hits and books have none).</extracomment>
        <translation>Barcha kitoblardan qidirish: soʻzlar, &quot;iboralar&quot;, boshlanishi*</translation>
    </message>
    <message>
        <source>Search the library</source>
        <translation>Kutubxonadan qidirish</translation>
    </message>
    <message>
        <source>Book / page</source>
        <translation>Kitob / sahifa</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Matn</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Qidiruv natijalari</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Bekor qilish</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fayl</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Vositalar</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Yordam</translation>
    </message>
    <message>
        <source>&amp;About Mutolaa</source>
        <translation>Mutolaa &amp;haqida</translation>
    </message>
    <message>
        <source>&amp;Import files…</source>
        <translation>Fayllarni &amp;import qilish…</translation>
    </message>
    <message>
        <source>Import a &amp;folder…</source>
        <translation>&amp;Jildni import qilish…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Chiqish</translation>
    </message>
    <message>
        <source>S&amp;witch person…</source>
        <translation>Oʻquvchini &amp;almashtirish…</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>&amp;Toʻliq ekran</translation>
    </message>
    <message>
        <source>&amp;Options…</source>
        <translation>&amp;Parametrlar…</translation>
    </message>
    <message>
        <source>Pr&amp;eferences…</source>
        <translation>&amp;Sozlamalar…</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Topish…</translation>
    </message>
    <message>
        <source>&amp;Annotations…</source>
        <translation>&amp;Izohlar…</translation>
    </message>
    <message>
        <source>&amp;Export annotations…</source>
        <translation>Izohlarni &amp;eksport qilish…</translation>
    </message>
    <message>
        <source>&amp;Catalogues and downloads</source>
        <translation>&amp;Kataloglar va yuklanmalar</translation>
    </message>
    <message>
        <source>Catalogues</source>
        <translation>Kataloglar</translation>
    </message>
    <message>
        <source>The settings could not be saved: {reason}</source>
        <translation>Sozlamalarni saqlab boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>{n} annotation(s) exported to {path}</source>
        <translation>{n} ta izoh {path} ga eksport qilindi</translation>
    </message>
    <message>
        <source>The annotations could not be exported: {reason}</source>
        <translation>Izohlarni eksport qilib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>The annotation could not be saved: {reason}</source>
        <translation>Izohni saqlab boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>“{name}” cannot be reached, and this page was not opened before, so there is no offline copy of it.</source>
        <translation>“{name}” serveriga ulanib boʻlmadi, bu sahifa esa avval ochilmagan, shuning uchun uning saqlangan nusxasi yoʻq.</translation>
    </message>
    <message>
        <source>“{name}” refused the user name and password: change them in Settings → Library servers.</source>
        <translation>“{name}” serveri foydalanuvchi nomi va parolni qabul qilmadi: ularni Sozlamalar → Kutubxona serverlari boʻlimida oʻzgartiring.</translation>
    </message>
    <message>
        <source>“{name}” asks for a kind of sign-in Mutolaa cannot do ({scheme}).</source>
        <translation>“{name}” serveri Mutolaa qoʻllay olmaydigan kirish usulini talab qilmoqda ({scheme}).</translation>
    </message>
    <message>
        <source>“{name}” asks for a user name and password: add them in Settings → Library servers.</source>
        <translation>“{name}” serveri foydalanuvchi nomi va parolni soʻramoqda: ularni Sozlamalar → Kutubxona serverlari boʻlimida qoʻshing.</translation>
    </message>
    <message>
        <source>“{name}” sent a page Mutolaa cannot read ({problem}).</source>
        <translation>“{name}” serveri Mutolaa oʻqiy olmaydigan sahifa yubordi ({problem}).</translation>
    </message>
    <message>
        <source>“{name}” has no such page (it may have been moved or removed).</source>
        <translation>“{name}” serverida bunday sahifa yoʻq (u koʻchirilgan yoki oʻchirilgan boʻlishi mumkin).</translation>
    </message>
    <message>
        <source>“{name}” could not be read: {reason}</source>
        <translation>“{name}” serveridan maʼlumot olib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>Nimadir notoʻgʻri ketdi: {error}</translation>
    </message>
    <message>
        <source>Library servers</source>
        <translation>Kutubxona serverlari</translation>
    </message>
    <message>
        <source>&amp;Catalogue:</source>
        <translation>Kata&amp;log:</translation>
    </message>
    <message>
        <source>Library server to browse</source>
        <translation>Koʻriladigan kutubxona serveri</translation>
    </message>
    <message>
        <source>← &amp;Back</source>
        <translation>← O&amp;rqaga</translation>
    </message>
    <message>
        <source>Back to the previous page (Alt+Left)</source>
        <translation>Oldingi sahifaga qaytish (Alt+←)</translation>
    </message>
    <message>
        <source>Back to the previous page</source>
        <translation>Oldingi sahifaga qaytish</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>&amp;Qayta yuklash</translation>
    </message>
    <message>
        <source>Ask the server for this page again (F5)</source>
        <translation>Bu sahifani serverdan qayta soʻrash (F5)</translation>
    </message>
    <message>
        <source>Ask the server for this page again</source>
        <translation>Bu sahifani serverdan qayta soʻrash</translation>
    </message>
    <message>
        <source>Work &amp;offline</source>
        <translation>Oflayn &amp;ishlash</translation>
    </message>
    <message>
        <source>Show only the pages saved on this computer; do not ask the server</source>
        <translation>Faqat shu kompyuterda saqlangan sahifalarni koʻrsatish; serverga murojaat qilmaslik</translation>
    </message>
    <message>
        <source>Work offline</source>
        <translation>Oflayn ishlash</translation>
    </message>
    <message>
        <source>Search the catalogue</source>
        <translation>Katalogdan qidirish</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Koʻrsatish</translation>
    </message>
    <message>
        <source>Other views of this page: order, subject, language</source>
        <translation>Bu sahifaning boshqa koʻrinishlari: tartib, mavzu, til</translation>
    </message>
    <message>
        <source>Other views of this page</source>
        <translation>Bu sahifaning boshqa koʻrinishlari</translation>
    </message>
    <message>
        <source>Pages walked</source>
        <translation>Oʻtilgan sahifalar</translation>
    </message>
    <message>
        <source>Which copy of the page is shown</source>
        <translation>Sahifaning qaysi nusxasi koʻrsatilgan</translation>
    </message>
    <message>
        <source>What the browser is doing or what went wrong</source>
        <translation>Katalog brauzeri nima qilayotgani yoki nima notoʻgʻri ketgani</translation>
    </message>
    <message>
        <source>Contents of the catalogue page</source>
        <translation>Katalog sahifasining tarkibi</translation>
    </message>
    <message>
        <source>Load the next page of this list</source>
        <translation>Bu roʻyxatning keyingi sahifasini yuklash</translation>
    </message>
    <message>
        <source>No library servers yet: add one in Settings → Library servers.</source>
        <translation>Hali kutubxona serverlari yoʻq: Sozlamalar → Kutubxona serverlari boʻlimida server qoʻshing.</translation>
    </message>
    <message>
        <source>Searching for “{terms}”…</source>
        <translation>“{terms}” qidirilmoqda…</translation>
    </message>
    <message>
        <source>Loading the next page…</source>
        <translation>Keyingi sahifa yuklanmoqda…</translation>
    </message>
    <message>
        <source>Opening “{title}”…</source>
        <translation>“{title}” ochilmoqda…</translation>
    </message>
    <message>
        <source>Found among the catalogue pages saved on this computer (the catalogue&apos;s own search could not be used).</source>
        <translation>Shu kompyuterda saqlangan katalog sahifalari orasidan topildi (katalogning oʻz qidiruvidan foydalanib boʻlmadi).</translation>
    </message>
    <message>
        <source>Offline copy from {time}: the server was not asked or did not answer.</source>
        <translation>{time} holatidagi saqlangan nusxa: serverga murojaat qilinmadi yoki u javob bermadi.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Yuklanmoqda…</translation>
    </message>
    <message>
        <source>Load &amp;more</source>
        <translation>&amp;Davomini yuklash</translation>
    </message>
    <message>
        <source>Search: {terms}</source>
        <translation>Qidiruv: {terms}</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <extracomment>Gives a cover&apos;s bytes (None when there is none); runs in a worker thread, may raise.</extracomment>
        <translation>(nomsiz)</translation>
    </message>
    <message>
        <source>Shown: {title}</source>
        <translation>Koʻrsatilgan: {title}</translation>
    </message>
    <message>
        <source>Back to “{title}”</source>
        <translation>“{title}” sahifasiga qaytish</translation>
    </message>
    <message>
        <source>“{title}” was not queued: {reason}</source>
        <translation>“{title}” navbatga qoʻyilmadi: {reason}</translation>
    </message>
    <message>
        <source>The library could not be read: {reason}</source>
        <translation>Kutubxonani oʻqib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>The import stopped: {reason}</source>
        <translation>Qoʻshish toʻxtadi: {reason}</translation>
    </message>
    <message>
        <source>{n} page(s) added to the search index</source>
        <translation>Qidiruv indeksiga {n} ta sahifa qoʻshildi</translation>
    </message>
    <message>
        <source>The search index could not be brought up to date: {reason}</source>
        <translation>Qidiruv indeksini yangilab boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Koʻrinish</translation>
    </message>
    <message>
        <source>&amp;Undo {action}</source>
        <translation>&amp;Bekor qilish: {action}</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Bekor qilish</translation>
    </message>
    <message>
        <source>&amp;Redo {action}</source>
        <translation>&amp;Qaytarish: {action}</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Qaytarish</translation>
    </message>
    <message>
        <source>&amp;Search the library</source>
        <translation>Kutubxonadan &amp;qidirish</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Tahrir</translation>
    </message>
    <message>
        <source>Library and open books</source>
        <translation>Kutubxona va ochiq kitoblar</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>Sozlamalar saqlandi</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Hajmi</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Manba</translation>
    </message>
    <message>
        <source>Remove the book?</source>
        <translation>Kitob oʻchirilsinmi?</translation>
    </message>
    <message>
        <source>Remove “{title}” and its file from the library?</source>
        <translation>«{title}» va uning fayli kutubxonadan oʻchirilsinmi?</translation>
    </message>
    <message>
        <source>The book could not be removed: {reason}</source>
        <translation>Kitobni oʻchirib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Import books</source>
        <translation>Kitoblarni import qilish</translation>
    </message>
    <message>
        <source>Books (*.pdf *.epub *.fb2 *.mobi *.xps *.cbz *.txt);;All files (*)</source>
        <translation>Kitoblar (*.pdf *.epub *.fb2 *.mobi *.xps *.cbz *.txt);;Barcha fayllar (*)</translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation>Jildni import qilish</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Batafsil…</translation>
    </message>
    <message>
        <source>Details of the error</source>
        <translation>Xato haqida batafsil</translation>
    </message>
    <message>
        <source>Progress of the background work</source>
        <translation>Fondagi ish jarayoni</translation>
    </message>
    <message>
        <source>Cancel the background work</source>
        <translation>Fondagi ishni bekor qilish</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>Import qilinmoqda</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Oʻqilmoqda</translation>
    </message>
    <message>
        <source>Indexing</source>
        <translation>Indekslanmoqda</translation>
    </message>
    <message>
        <source>What went wrong</source>
        <translation>Nima notoʻgʻri boʻldi</translation>
    </message>
    <message>
        <source>an unexpected error (see Details…)</source>
        <translation>kutilmagan xato (Batafsil… ga qarang)</translation>
    </message>
    <message>
        <source>{added} added, {dupes} already there, {locked} locked, {failed} failed</source>
        <translation>{added} ta qoʻshildi, {dupes} ta avvaldan bor, {locked} ta qulflangan, {failed} ta xato</translation>
    </message>
    <message>
        <source>{n} skipped (not books)</source>
        <translation>{n} ta oʻtkazib yuborildi (kitob emas)</translation>
    </message>
    <message>
        <source>Some files could not be imported</source>
        <translation>Baʼzi fayllarni import qilib boʻlmadi</translation>
    </message>
    <message>
        <source>{n} file(s) could not be imported.</source>
        <translation>{n} ta faylni import qilib boʻlmadi.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Qidirilmoqda…</translation>
    </message>
    <message>
        <source>p. {n}</source>
        <translation>{n}-bet</translation>
    </message>
    <message>
        <source>The search failed: {reason}</source>
        <translation>Qidiruv amalga oshmadi: {reason}</translation>
    </message>
    <message>
        <source>Highlight, p. {n}</source>
        <translation>Belgi, {n}-bet</translation>
    </message>
    <message>
        <source>Bookmark, p. {n}</source>
        <translation>Xatchoʻp, {n}-bet</translation>
    </message>
    <message>
        <source>Note, p. {n}</source>
        <translation>Izoh, {n}-bet</translation>
    </message>
    <message>
        <source>The search cannot be read: the “(” at character {n} is never closed.</source>
        <translation>Qidiruvni oʻqib boʻlmadi: {n}-belgidagi “(” yopilmagan.</translation>
    </message>
    <message>
        <source>The search cannot be read: “{token}” at character {n} has nothing before it.</source>
        <translation>Qidiruvni oʻqib boʻlmadi: {n}-belgidagi “{token}” dan oldin hech narsa yoʻq.</translation>
    </message>
    <message>
        <source>The search cannot be read: the brackets at character {n} hold nothing.</source>
        <translation>Qidiruvni oʻqib boʻlmadi: {n}-belgidagi qavslar ichida hech narsa yoʻq.</translation>
    </message>
    <message>
        <source>The search cannot be read: “{token}” at character {n} has nothing after it.</source>
        <translation>Qidiruvni oʻqib boʻlmadi: {n}-belgidagi “{token}” dan keyin hech narsa yoʻq.</translation>
    </message>
    <message>
        <source>about </source>
        <translation>taxminan </translation>
    </message>
    <message>
        <source>{about}{n} matching page(s), {k} matching note(s)</source>
        <translation>{about}{n} ta mos sahifa, {k} ta mos izoh</translation>
    </message>
    <message>
        <source>{about}{n} matching page(s)</source>
        <translation>{about}{n} ta mos sahifa</translation>
    </message>
    <message>
        <source>That book is no longer in the library</source>
        <translation>Bu kitob endi kutubxonada yoʻq</translation>
    </message>
    <message>
        <source>The book could not be opened: {reason}</source>
        <translation>Kitobni ochib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Cannot open the book</source>
        <translation>Kitobni ochib boʻlmadi</translation>
    </message>
    <message>
        <source>Connected: the catalogue “{title}” answered.</source>
        <extracomment>The list&apos;s columns: name, address, user name (never the password).</extracomment>
        <translation>Ulandi: “{title}” katalogi javob berdi.</translation>
    </message>
    <message>
        <source>Connected: the catalogue answered (it has no title).</source>
        <translation>Ulandi: katalog javob berdi (uning nomi yoʻq).</translation>
    </message>
    <message>
        <source>The server cannot be reached: check the address and the connection.</source>
        <translation>Serverga ulanib boʻlmadi: manzil va ulanishni tekshiring.</translation>
    </message>
    <message>
        <source>“{server}” asks for a user name and password.</source>
        <translation>“{server}” foydalanuvchi nomi va parolni soʻramoqda.</translation>
    </message>
    <message>
        <source>The server asks for a user name and password.</source>
        <translation>Server foydalanuvchi nomi va parolni soʻramoqda.</translation>
    </message>
    <message>
        <source>The server refused the user name and password.</source>
        <translation>Server foydalanuvchi nomi va parolni qabul qilmadi.</translation>
    </message>
    <message>
        <source>The server asks for a kind of sign-in Mutolaa cannot do ({scheme}).</source>
        <translation>Server Mutolaa qoʻllay olmaydigan kirish usulini talab qilmoqda ({scheme}).</translation>
    </message>
    <message>
        <source>The server has nothing at this address (not found).</source>
        <translation>Serverda bu manzil boʻyicha hech narsa yoʻq (topilmadi).</translation>
    </message>
    <message>
        <source>This address answers, but not with an OPDS catalogue.</source>
        <translation>Bu manzildan javob keldi, lekin u OPDS katalogi emas.</translation>
    </message>
    <message>
        <source>The server could not be read: {reason}</source>
        <translation>Serverdan maʼlumot olib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>The address must be an http:// or https:// URL with a server name.</source>
        <translation>Manzil server nomi koʻrsatilgan http:// yoki https:// URL boʻlishi kerak.</translation>
    </message>
    <message>
        <source>Add a library server</source>
        <translation>Kutubxona serverini qoʻshish</translation>
    </message>
    <message>
        <source>Change the library server</source>
        <translation>Kutubxona serverini oʻzgartirish</translation>
    </message>
    <message>
        <source>Address (URL)</source>
        <translation>Manzil (URL)</translation>
    </message>
    <message>
        <source>Signed in as {user} at {server}.</source>
        <translation>{server} serveriga {user} sifatida kirilgan.</translation>
    </message>
    <message>
        <source>This address answers, but not as a Mutolaa library server.</source>
        <translation>Bu manzil javob beradi, lekin Mutolaa kutubxona serveri sifatida emas.</translation>
    </message>
    <message>
        <source>The server says this account is disabled: ask its librarian.</source>
        <translation>Server bu hisob oʻchirib qoʻyilganini aytmoqda: kutubxonachiga murojaat qiling.</translation>
    </message>
    <message>
        <source>Too many failed sign-ins: try again in a few minutes.</source>
        <translation>Muvaffaqiyatsiz kirishlar juda koʻp: bir necha daqiqadan keyin qayta urinib koʻring.</translation>
    </message>
    <message>
        <source>The server could not sign you in: {reason}</source>
        <translation>Server sizni kiritmadi: {reason}</translation>
    </message>
    <message>
        <source>Signed out. The server does not answer: it will be told to stop accepting this computer at the next sync. Your notes stay on this computer.</source>
        <translation>Chiqildi. Server javob bermayapti: keyingi sinxronlashda unga bu kompyuterni boshqa qabul qilmaslik aytiladi. Izohlaringiz shu kompyuterda qoladi.</translation>
    </message>
    <message>
        <source>Server address (URL)</source>
        <translation>Server manzili (URL)</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Foydalanuvchi nomi</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Parol</translation>
    </message>
    <message>
        <source>https://kutubxona.example.org/</source>
        <translation>https://kutubxona.example.org/</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Kirish</translation>
    </message>
    <message>
        <source>Sign in to the library server</source>
        <translation>Kutubxona serveriga kirish</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Chiqish</translation>
    </message>
    <message>
        <source>Sign out of the library server</source>
        <translation>Kutubxona serveridan chiqish</translation>
    </message>
    <message>
        <source>Who is signed in</source>
        <translation>Kim kirgan</translation>
    </message>
    <message>
        <source>The last sync</source>
        <translation>Oxirgi sinxronlash</translation>
    </message>
    <message>
        <source>What signing in or out did</source>
        <translation>Kirish yoki chiqish natijasi</translation>
    </message>
    <message>
        <source>About syncing</source>
        <translation>Sinxronlash haqida</translation>
    </message>
    <message>
        <source>Your notes, highlights, bookmarks and reading progress are synced with this server. Signing out keeps them on this computer.</source>
        <translation>Izohlaringiz, belgilaringiz, xatchoʻplaringiz va qayergacha oʻqiganingiz shu server bilan sinxronlanadi. Chiqib ketsangiz ham ular shu kompyuterda qoladi.</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>Kirilmagan.</translation>
    </message>
    <message>
        <source>Signed out (last signed in as {user} at {server}).</source>
        <translation>Chiqilgan (oxirgi marta {server} serveriga {user} sifatida kirilgan).</translation>
    </message>
    <message>
        <source>Last sync: {time}.</source>
        <translation>Oxirgi sinxronlash: {time}.</translation>
    </message>
    <message>
        <source>Not synced yet.</source>
        <translation>Hali sinxronlanmagan.</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>Oxirgi xato: {error}</translation>
    </message>
    <message>
        <source>The account could not be read or changed: {reason}</source>
        <translation>Hisobni oʻqib yoki oʻzgartirib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Type your user name on this server.</source>
        <translation>Bu serverdagi foydalanuvchi nomingizni kiriting.</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>Parolingizni kiriting.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Kirilmoqda…</translation>
    </message>
    <message>
        <source>Signed out. Your notes stay on this computer.</source>
        <translation>Chiqildi. Izohlaringiz shu kompyuterda qoladi.</translation>
    </message>
    <message>
        <source>The catalogue&apos;s own title</source>
        <translation>Katalogning oʻz nomi</translation>
    </message>
    <message>
        <source>https://example.org/opds</source>
        <translation>https://example.org/opds</translation>
    </message>
    <message>
        <source>When the server asks for one</source>
        <translation>Agar server soʻrasa</translation>
    </message>
    <message>
        <source>What the test or the saving found</source>
        <translation>Tekshiruv yoki saqlash natijasi</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Ulanishni tekshirish</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Manzil</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Qoʻshish…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Tahrirlash…</translation>
    </message>
    <message>
        <source>Change the chosen library server</source>
        <translation>Tanlangan kutubxona serverini oʻzgartirish</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Oʻchirish</translation>
    </message>
    <message>
        <source>Remove the chosen library server</source>
        <translation>Tanlangan kutubxona serverini oʻchirish</translation>
    </message>
    <message>
        <source>Test the chosen library server</source>
        <translation>Tanlangan kutubxona serverini tekshirish</translation>
    </message>
    <message>
        <source>What the library servers page did</source>
        <translation>Kutubxona serverlari sahifasi xabarlari</translation>
    </message>
    <message>
        <source>Library servers are saved as soon as they are added, changed or removed.</source>
        <translation>Kutubxona serverlari qoʻshilishi, oʻzgartirilishi yoki oʻchirilishi bilanoq saqlanadi.</translation>
    </message>
    <message>
        <source>No library servers yet. Add one with “Add…” and the address of its catalogue.</source>
        <translation>Hali kutubxona serverlari yoʻq. “Qoʻshish…” tugmasini bosib, server katalogining manzilini kiriting.</translation>
    </message>
    <message>
        <source>The library servers could not be read: {reason}</source>
        <translation>Kutubxona serverlarini oʻqib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Checking “{name}”…</source>
        <translation>“{name}” tekshirilmoqda…</translation>
    </message>
    <message>
        <source>{name}: {result}</source>
        <translation>{name}: {result}</translation>
    </message>
    <message>
        <source>The server could not be tested: {reason}</source>
        <translation>Serverni tekshirib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Checking the server…</source>
        <translation>Server tekshirilmoqda…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saqlanmoqda…</translation>
    </message>
    <message>
        <source>Saved “{name}”.</source>
        <translation>“{name}” saqlandi.</translation>
    </message>
    <message>
        <source>Saved “{name}”, though its server did not answer now; test it again later.</source>
        <translation>“{name}” saqlandi, lekin uning serveri hozir javob bermadi; keyinroq qayta tekshirib koʻring.</translation>
    </message>
    <message>
        <source>The library server could not be saved: {reason}</source>
        <translation>Kutubxona serverini saqlab boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Remove the library server?</source>
        <translation>Kutubxona serveri oʻchirilsinmi?</translation>
    </message>
    <message>
        <source>Remove “{name}” and the user name and password saved for it?</source>
        <translation>“{name}” va u uchun saqlangan foydalanuvchi nomi hamda parol oʻchirilsinmi?</translation>
    </message>
    <message>
        <source>Removed “{name}”.</source>
        <translation>“{name}” oʻchirildi.</translation>
    </message>
    <message>
        <source>The library server could not be removed: {reason}</source>
        <translation>Kutubxona serverini oʻchirib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>A library server named “{name}” already exists; choose another name.</source>
        <translation>“{name}” nomli kutubxona serveri allaqachon mavjud; boshqa nom tanlang.</translation>
    </message>
    <message>
        <source>“{title}” is encrypted. Its password:</source>
        <translation>«{title}» shifrlangan. Uning paroli:</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Oldingi sahifa</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Keyingi sahifa</translation>
    </message>
    <message>
        <source>Highlight the selected text</source>
        <translation>Tanlangan matnni belgilash</translation>
    </message>
    <message>
        <source>Add a note</source>
        <translation>Izoh qoʻshish</translation>
    </message>
    <message>
        <source>Bookmark this page</source>
        <translation>Bu sahifaga xatchoʻp qoʻyish</translation>
    </message>
    <message>
        <source>Page number</source>
        <translation>Sahifa raqami</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Mundarija</translation>
    </message>
    <message>
        <source>of {n}</source>
        <translation>/ {n}</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Kichraytirish</translation>
    </message>
    <message>
        <source>Laying the book out…</source>
        <translation>Kitob sahifalanmoqda…</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Kattalashtirish</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>Kichikroq matn</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>Kattaroq matn</translation>
    </message>
    <message>
        <source>Table of contents</source>
        <translation>Mundarija</translation>
    </message>
    <message>
        <source>Page thumbnails</source>
        <translation>Sahifa eskizlari</translation>
    </message>
    <message>
        <source>Continuous scrolling</source>
        <translation>Uzluksiz aylantirish</translation>
    </message>
    <message>
        <source>Day, night or sepia</source>
        <translation>Kunduzgi, tungi yoki sepiya</translation>
    </message>
    <message>
        <source>Rotate the page</source>
        <translation>Sahifani burish</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>Kenglik boʻyicha</translation>
    </message>
    <message>
        <source>Fit page</source>
        <translation>Butun sahifa</translation>
    </message>
    <message>
        <source>Find in this book</source>
        <translation>Shu kitobdan topish</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Oldingi moslik</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Keyingi moslik</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Topilmadi</translation>
    </message>
    <message>
        <source>{n} page(s)</source>
        <translation>{n} ta sahifa</translation>
    </message>
    <message>
        <source>This book cannot be shown: {reason}</source>
        <translation>Bu kitobni koʻrsatib boʻlmaydi: {reason}</translation>
    </message>
    <message>
        <source>This page cannot be shown: {reason}</source>
        <translation>Bu sahifani koʻrsatib boʻlmaydi: {reason}</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Nimadir notoʻgʻri ketdi</translation>
    </message>
    <message>
        <source>Mutolaa met an unexpected error: {error}. Your library is safe; the details are in the log.</source>
        <translation>Mutolaa kutilmagan xatoga duch keldi: {error}. Kutubxonangiz xavfsiz; tafsilotlar jurnalda.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Sozlamalar</translation>
    </message>
    <message>
        <source>The standard folder</source>
        <translation>Odatiy jild</translation>
    </message>
    <message>
        <source>Library folder</source>
        <translation>Kutubxona jildi</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Tanlash…</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>Interfeys tili</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Tizimdagidek</translation>
    </message>
    <message>
        <source>Page colours</source>
        <translation>Sahifa ranglari</translation>
    </message>
    <message>
        <source>Reading mode</source>
        <translation>Oʻqish rejimi</translation>
    </message>
    <message>
        <source>Font size of EPUB, FB2, MOBI and TXT books</source>
        <translation>EPUB, FB2, MOBI va TXT kitoblarining shrift oʻlchami</translation>
    </message>
    <message>
        <source>Choose the library folder</source>
        <translation>Kutubxona jildini tanlang</translation>
    </message>
    <message>
        <source>Pages one under another</source>
        <translation>Sahifalar birin-ketin</translation>
    </message>
    <message>
        <source>One page at a time</source>
        <translation>Bir vaqtda bitta sahifa</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Kunduzgi</translation>
    </message>
    <message>
        <source>Night</source>
        <translation>Tungi</translation>
    </message>
    <message>
        <source>Sepia</source>
        <translation>Sepiya</translation>
    </message>
    <message>
        <source>The library folder applies at the next start.</source>
        <translation>Kutubxona jildi keyingi ishga tushirishda qoʻllanadi.</translation>
    </message>
    <message>
        <source>In use: {folder}, given when Mutolaa was started (--library or MUTOLAA_HOME); the setting does not choose the folder then.</source>
        <translation>Hozir ishlatilmoqda: {folder} — Mutolaa ishga tushirilganda berilgan (--library yoki MUTOLAA_HOME); bunda jildni sozlama tanlamaydi.</translation>
    </message>
    <message>
        <source>In use: {folder}. Another folder applies at the next start.</source>
        <translation>Hozir ishlatilmoqda: {folder}. Boshqa jild keyingi ishga tushirishda qoʻllanadi.</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Umumiy</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Hisob</translation>
    </message>
    <message>
        <source>Default zoom</source>
        <translation>Odatiy masshtab</translation>
    </message>
    <message>
        <source>Page {n}</source>
        <translation>{n}-sahifa</translation>
    </message>
    <message>
        <source>Change colour</source>
        <translation>Rangni oʻzgartirish</translation>
    </message>
    <message>
        <source>Rename bookmark</source>
        <translation>Xatchoʻp nomini oʻzgartirish</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>Izohni tahrirlash</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Izoh qoʻshish</translation>
    </message>
    <message>
        <source>Delete bookmark</source>
        <translation>Xatchoʻpni oʻchirish</translation>
    </message>
    <message>
        <source>Delete note</source>
        <translation>Izohni oʻchirish</translation>
    </message>
    <message>
        <source>Delete highlight</source>
        <translation>Belgini oʻchirish</translation>
    </message>
    <message>
        <source>Markdown notes (*.md)</source>
        <translation>Markdown izohlar (*.md)</translation>
    </message>
    <message>
        <source>Web Annotation JSON-LD (*.jsonld)</source>
        <translation>Web Annotation JSON-LD (*.jsonld)</translation>
    </message>
    <message>
        <source>A copy of the PDF with the annotations (*.pdf)</source>
        <translation>Izohlari bilan PDF nusxasi (*.pdf)</translation>
    </message>
    <message>
        <source>Export the annotations of “{title}”</source>
        <translation>“{title}” izohlarini eksport qilish</translation>
    </message>
    <message>
        <source>Yellow</source>
        <extracomment>How each highlight colour is drawn (opaque; pages show it translucent).</extracomment>
        <translation>Sariq</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Yashil</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Koʻk</translation>
    </message>
    <message>
        <source>Pink</source>
        <translation>Pushti</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>Toʻq sariq</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>Xatchoʻp</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Izoh</translation>
    </message>
    <message>
        <source>Highlight</source>
        <translation>Belgi</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Turi</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Sahifa</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>Iqtibos</translation>
    </message>
    <message>
        <source>Detached</source>
        <translation>Joyi topilmagan</translation>
    </message>
    <message>
        <source>All colours</source>
        <translation>Barcha ranglar</translation>
    </message>
    <message>
        <source>All books</source>
        <translation>Barcha kitoblar</translation>
    </message>
    <message>
        <source>Show annotations of a colour</source>
        <translation>Bir rangdagi izohlarni koʻrsatish</translation>
    </message>
    <message>
        <source>Show annotations of a book</source>
        <translation>Bir kitobning izohlarini koʻrsatish</translation>
    </message>
    <message>
        <source>Filter annotations</source>
        <translation>Izohlarni saralash</translation>
    </message>
    <message>
        <source>Annotations</source>
        <extracomment>(annotation, its new anchor or None: detached) for every quote that moved</extracomment>
        <translation>Izohlar</translation>
    </message>
    <message>
        <source>&amp;Go to</source>
        <translation>&amp;Oʻtish</translation>
    </message>
    <message>
        <source>&amp;Edit note…</source>
        <translation>Izohni &amp;tahrirlash…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Oʻchirish</translation>
    </message>
    <message>
        <source>&amp;Colour</source>
        <translation>&amp;Rang</translation>
    </message>
    <message>
        <source>Annotations in the library</source>
        <translation>Kutubxonadagi izohlar</translation>
    </message>
    <message>
        <source>{n} annotation(s) shown</source>
        <translation>{n} ta izoh koʻrsatilgan</translation>
    </message>
    <message>
        <source>&amp;Highlight</source>
        <translation>&amp;Belgilash</translation>
    </message>
    <message>
        <source>Add &amp;note…</source>
        <translation>&amp;Izoh qoʻshish…</translation>
    </message>
    <message>
        <source>Add &amp;bookmark</source>
        <translation>&amp;Xatchoʻp qoʻyish</translation>
    </message>
    <message>
        <source>Page {page}</source>
        <translation>{page}-sahifa</translation>
    </message>
    <message>
        <source>Add bookmark</source>
        <translation>Xatchoʻp qoʻyish</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Izoh:</translation>
    </message>
    <message>
        <source>Highlight in colour</source>
        <translation>Rang bilan belgilash</translation>
    </message>
    <message>
        <source>Edit note on “{quote}”…</source>
        <translation>“{quote}” izohini tahrirlash…</translation>
    </message>
    <message>
        <source>Colour of “{quote}”</source>
        <translation>“{quote}” rangi</translation>
    </message>
    <message>
        <source>Delete highlight “{quote}”</source>
        <translation>“{quote}” belgisini oʻchirish</translation>
    </message>
    <message>
        <source>{count} items</source>
        <translation>{count} ta element</translation>
    </message>
    <message>
        <source>✓ In your library</source>
        <translation>✓ Kutubxonangizda</translation>
    </message>
    <message>
        <source>Queued for download</source>
        <translation>Yuklab olish navbatida</translation>
    </message>
    <message>
        <source>Open all of “{title}”</source>
        <translation>“{title}” boʻlimini toʻliq ochish</translation>
    </message>
    <message>
        <source>Library servers and downloads</source>
        <translation>Kutubxona serverlari va yuklanmalar</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <extracomment>How often a run asks again for a queue another run of this process held for a moment.</extracomment>
        <translation>Yuklab olinmoqda…</translation>
    </message>
    <message>
        <source>Some downloads are waiting for the server; trying again in {wait}.</source>
        <translation>Baʼzi yuklanmalar serverni kutmoqda; {wait}dan keyin qayta urinib koʻriladi.</translation>
    </message>
    <message>
        <source>Another Mutolaa is running these downloads; trying again in {wait}.</source>
        <translation>Bu yuklanmalarni boshqa ishga tushirilgan Mutolaa bajarmoqda; {wait}dan keyin qayta urinib koʻriladi.</translation>
    </message>
    <message>
        <source>The downloads stopped: {reason}; trying again in {wait}.</source>
        <translation>Yuklanmalar toʻxtadi: {reason}; {wait}dan keyin qayta urinib koʻriladi.</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} soniya</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} daqiqa</translation>
    </message>
    <message>
        <source>KOReader progress sync is on for {user} at {server}.</source>
        <translation>KOReader bilan oʻqish joyini sinxronlash yoqilgan: {server} serverida {user}.</translation>
    </message>
    <message>
        <source>The KOReader sync server cannot be reached: check the address and the connection.</source>
        <translation>KOReader sinxronlash serveriga ulanib boʻlmadi: manzil va ulanishni tekshiring.</translation>
    </message>
    <message>
        <source>The server refused this user name and password for KOReader sync.</source>
        <translation>Server KOReader sinxronlashi uchun bu foydalanuvchi nomi va parolni qabul qilmadi.</translation>
    </message>
    <message>
        <source>KOReader sync was not turned on: {reason}</source>
        <translation>KOReader bilan sinxronlash yoqilmadi: {reason}</translation>
    </message>
    <message>
        <source>This address answers, but not as a KOReader sync server.</source>
        <translation>Bu manzil javob beradi, lekin KOReader sinxronlash serveri sifatida emas.</translation>
    </message>
    <message>
        <source>KOReader progress sync is off.</source>
        <translation>KOReader bilan oʻqish joyini sinxronlash oʻchirilgan.</translation>
    </message>
    <message>
        <source>KOReader progress sync is off (last used as {user} at {server}).</source>
        <translation>KOReader bilan sinxronlash oʻchirilgan (oxirgi marta {server} serverida {user} sifatida ishlatilgan).</translation>
    </message>
    <message>
        <source>On for {user} at {server}; last sync {time}.</source>
        <translation>{server} serverida {user} uchun yoqilgan; oxirgi sinxronlash {time}.</translation>
    </message>
    <message>
        <source>On for {user} at {server}; not synced yet.</source>
        <translation>{server} serverida {user} uchun yoqilgan; hali sinxronlanmagan.</translation>
    </message>
    <message>
        <source>KOReader progress sync</source>
        <translation>KOReader bilan oʻqish joyini sinxronlash</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>So that your e-ink reader with KOReader and this computer agree on the page. Only the MD5 of the password is kept: give KOReader sync a password of its own.</source>
        <translation>KOReader oʻrnatilgan elektron kitob oʻqigichingiz va shu kompyuter bir xil sahifani koʻrsatishi uchun. Parolning faqat MD5 qiymati saqlanadi: KOReader sinxronlashi uchun alohida parol qoʻying.</translation>
    </message>
    <message>
        <source>About KOReader progress sync</source>
        <translation>KOReader bilan sinxronlash haqida</translation>
    </message>
    <message>
        <source>KOReader progress sync status</source>
        <translation>KOReader bilan sinxronlash holati</translation>
    </message>
    <message>
        <source>KOReader sync server address (URL)</source>
        <translation>KOReader sinxronlash serveri manzili (URL)</translation>
    </message>
    <message>
        <source>https://sync.koreader.rocks/</source>
        <translation>https://sync.koreader.rocks/</translation>
    </message>
    <message>
        <source>KOReader sync user name</source>
        <translation>KOReader sinxronlash foydalanuvchi nomi</translation>
    </message>
    <message>
        <source>KOReader sync password</source>
        <translation>KOReader sinxronlash paroli</translation>
    </message>
    <message>
        <source>Turn on</source>
        <translation>Yoqish</translation>
    </message>
    <message>
        <source>Turn KOReader progress sync on</source>
        <translation>KOReader bilan sinxronlashni yoqish</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Oʻchirish</translation>
    </message>
    <message>
        <source>Turn KOReader progress sync off</source>
        <translation>KOReader bilan sinxronlashni oʻchirish</translation>
    </message>
    <message>
        <source>What turning KOReader sync on or off did</source>
        <translation>KOReader sinxronlashini yoqish yoki oʻchirish natijasi</translation>
    </message>
    <message>
        <source>KOReader sync could not be read or changed: {reason}</source>
        <translation>KOReader sinxronlash sozlamasini oʻqib yoki oʻzgartirib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>Type your user name on the KOReader sync server.</source>
        <translation>KOReader sinxronlash serveridagi foydalanuvchi nomingizni kiriting.</translation>
    </message>
    <message>
        <source>Type your KOReader sync password.</source>
        <translation>KOReader sinxronlash parolingizni kiriting.</translation>
    </message>
    <message>
        <source>Checking with the KOReader sync server…</source>
        <translation>KOReader sinxronlash serveri bilan tekshirilmoqda…</translation>
    </message>
    <message>
        <source>KOReader progress sync is off; the key was forgotten.</source>
        <translation>KOReader bilan sinxronlash oʻchirildi; kalit unutildi.</translation>
    </message>
    <message>
        <source>Books on your other devices</source>
        <translation>Boshqa qurilmalaringizdagi kitoblar</translation>
    </message>
    <message>
        <source>Books your other computers and devices keep that this library does not have, as of the last sync.</source>
        <translation>Boshqa kompyuter va qurilmalaringizda bor, lekin bu kutubxonada yoʻq kitoblar (oxirgi sinxronlash holatiga koʻra).</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Qayerda</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Katalog</translation>
    </message>
    <message>
        <source>What this list holds</source>
        <translation>Bu roʻyxatda nima bor</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Yuklab olish</translation>
    </message>
    <message>
        <source>Download the chosen book here</source>
        <translation>Tanlangan kitobni shu yerga yuklab olish</translation>
    </message>
    <message>
        <source>What the list says</source>
        <translation>Roʻyxat xabari</translation>
    </message>
    <message>
        <source>(from a file)</source>
        <translation>(fayldan)</translation>
    </message>
    <message>
        <source>Your other devices keep no book that is not here.</source>
        <translation>Boshqa qurilmalaringizda bu yerda yoʻq kitob yoʻq.</translation>
    </message>
    <message>
        <source>“{book}” was added from a file there: copy it from that computer.</source>
        <translation>“{book}” u yerda fayldan qoʻshilgan: uni oʻsha kompyuterdan koʻchirib oling.</translation>
    </message>
    <message>
        <source>“{book}” is in the download queue (Catalogues › Downloads).</source>
        <translation>“{book}” yuklanmalar navbatida (Kataloglar › Yuklanmalar).</translation>
    </message>
    <message>
        <source>On KOReader ({device}) you were at {position} ({percent} %).</source>
        <translation>KOReader’da ({device}) siz {position} da edingiz ({percent} %).</translation>
    </message>
    <message>
        <source>On KOReader you were at {position} ({percent} %).</source>
        <translation>KOReader’da siz {position} da edingiz ({percent} %).</translation>
    </message>
    <message>
        <source>On another device you were at {position} ({percent} %).</source>
        <translation>Boshqa qurilmada siz {position} da edingiz ({percent} %).</translation>
    </message>
    <message>
        <source>Sync: to resolve</source>
        <translation>Sinxronlash: hal qilinadiganlar</translation>
    </message>
    <message>
        <source>Notes edited on two devices</source>
        <translation>Ikki qurilmada tahrirlangan izohlar</translation>
    </message>
    <message>
        <source>This text</source>
        <translation>Bu matn</translation>
    </message>
    <message>
        <source>The other text</source>
        <translation>Boshqa matn</translation>
    </message>
    <message>
        <source>The note&apos;s text as the server kept it</source>
        <translation>Izohning serverda saqlangan matni</translation>
    </message>
    <message>
        <source>The note&apos;s other text</source>
        <translation>Izohning boshqa matni</translation>
    </message>
    <message>
        <source>Keep this one</source>
        <translation>Shunisini qoldirish</translation>
    </message>
    <message>
        <source>Keep this text and delete the other one</source>
        <translation>Bu matnni qoldirib, boshqasini oʻchirish</translation>
    </message>
    <message>
        <source>Keep the other text and delete this one</source>
        <translation>Boshqa matnni qoldirib, bunisini oʻchirish</translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation>Ikkalasini qoldirish</translation>
    </message>
    <message>
        <source>Keep both texts as notes</source>
        <translation>Ikkala matnni ham izoh sifatida qoldirish</translation>
    </message>
    <message>
        <source>Reading positions from other devices</source>
        <translation>Boshqa qurilmalardagi oʻqish joylari</translation>
    </message>
    <message>
        <source>Go there</source>
        <translation>Oʻsha yerga oʻtish</translation>
    </message>
    <message>
        <source>Move to the other device&apos;s reading position</source>
        <translation>Boshqa qurilmadagi oʻqish joyiga oʻtish</translation>
    </message>
    <message>
        <source>Stay here</source>
        <translation>Shu yerda qolish</translation>
    </message>
    <message>
        <source>Keep this device&apos;s reading position</source>
        <translation>Bu qurilmadagi oʻqish joyini saqlab qolish</translation>
    </message>
    <message>
        <source>What resolving did</source>
        <translation>Hal qilish natijasi</translation>
    </message>
    <message>
        <source>{book}, page {page}: {text}</source>
        <translation>{book}, {page}-bet: {text}</translation>
    </message>
    <message>
        <source>{book}: {where}</source>
        <translation>{book}: {where}</translation>
    </message>
    <message>
        <source>Nothing to resolve.</source>
        <translation>Hal qilinadigan narsa yoʻq.</translation>
    </message>
    <message>
        <source>This could not be done: {reason}</source>
        <translation>Buni bajarib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>The other text was deleted.</source>
        <translation>Boshqa matn oʻchirildi.</translation>
    </message>
    <message>
        <source>Both texts stay as notes.</source>
        <translation>Ikkala matn ham izoh sifatida qoladi.</translation>
    </message>
    <message>
        <source>“{book}” opens at the other device&apos;s position now.</source>
        <translation>“{book}” endi boshqa qurilmadagi joyidan ochiladi.</translation>
    </message>
    <message>
        <source>“{book}” stays at this device&apos;s position.</source>
        <translation>“{book}” bu qurilmadagi joyida qoladi.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <extracomment>The part of `finish`&apos;s time each request of the exit&apos;s sync may take.</extracomment>
        <translation>Sinxronlanmoqda…</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Kirilmagan</translation>
    </message>
    <message>
        <source>Offline: will sync when the server answers</source>
        <translation>Oflayn: server javob berganda sinxronlanadi</translation>
    </message>
    <message>
        <source>Sync stopped: {cause}</source>
        <translation>Sinxronlash toʻxtadi: {cause}</translation>
    </message>
    <message>
        <source>Notes edited on two devices, to resolve: {count}</source>
        <translation>Ikki qurilmada tahrirlangan, hal qilinadigan izohlar: {count}</translation>
    </message>
    <message>
        <source>Reading positions from other devices, to answer: {count}</source>
        <translation>Boshqa qurilmalardan kelgan, javob kutayotgan oʻqish joylari: {count}</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Hali sinxronlanmagan</translation>
    </message>
    <message>
        <source>Synced at {time}</source>
        <translation>{time} da sinxronlandi</translation>
    </message>
    <message>
        <source>Sync status</source>
        <extracomment>asks whether to let a sync delete (tests replace it)</extracomment>
        <translation>Sinxronlash holati</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Hozir sinxronlash</translation>
    </message>
    <message>
        <source>Sync with the library server now</source>
        <translation>Kutubxona serveri bilan hozir sinxronlash</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>Hal qilish…</translation>
    </message>
    <message>
        <source>Resolve notes edited on two devices and reading positions</source>
        <translation>Ikki qurilmada tahrirlangan izohlar va oʻqish joylarini hal qilish</translation>
    </message>
    <message>
        <source>Allow deletions…</source>
        <translation>Oʻchirishga ruxsat…</translation>
    </message>
    <message>
        <source>Let the held sync delete annotations</source>
        <translation>Toʻxtatilgan sinxronlashga izohlarni oʻchirishga ruxsat berish</translation>
    </message>
    <message>
        <source>Allow deletions</source>
        <translation>Oʻchirishga ruxsat berish</translation>
    </message>
    <message>
        <source>The sync stopped: {cause}

Delete them anyway?</source>
        <translation>Sinxronlash toʻxtadi: {cause}

Baribir oʻchirilsinmi?</translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation>&amp;Hozir sinxronlash</translation>
    </message>
    <message>
        <source>&amp;Resolve sync conflicts…</source>
        <translation>Sinxronlash &amp;ziddiyatlarini hal qilish…</translation>
    </message>
    <message>
        <source>Books on your other &amp;devices…</source>
        <translation>Boshqa &amp;qurilmalardagi kitoblar…</translation>
    </message>
    <message>
        <source>Nobody is signed in to a library server, so there is nothing to sync.</source>
        <translation>Hech kim kutubxona serveriga kirmagan, shuning uchun sinxronlanadigan narsa yoʻq.</translation>
    </message>
    <message>
        <source>Sign in on the Account page of the settings; the sync then starts by itself.</source>
        <translation>Sozlamalarning “Hisob” sahifasida kiring; shundan soʻng sinxronlash oʻzi boshlanadi.</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Kirish…</translation>
    </message>
    <message>
        <source>About Mutolaa</source>
        <translation>Mutolaa haqida</translation>
    </message>
    <message>
        <source>Mutolaa {version}</source>
        <translation>Mutolaa {version}</translation>
    </message>
    <message>
        <source>An offline-first e-library reader.</source>
        <translation>Internetsiz ishlaydigan elektron kutubxona oʻquvchisi.</translation>
    </message>
    <message>
        <source>Licence: {licence} (the GNU Affero General Public License, version 3 or later).</source>
        <translation>Litsenziya: {licence} (GNU Affero General Public License, 3-versiya yoki undan keyingisi).</translation>
    </message>
    <message>
        <source>Library folder: {folder}</source>
        <translation>Kutubxona jildi: {folder}</translation>
    </message>
    <message>
        <source>Log folder: {folder}</source>
        <translation>Jurnallar jildi: {folder}</translation>
    </message>
    <message>
        <source>This address is not encrypted (http://): the password would cross the network in clear. Use https:// unless the server is on this computer or your own network.</source>
        <translation>Bu manzil shifrlanmagan (http://): parol tarmoqdan ochiq holda oʻtadi. Server shu kompyuterda yoki oʻz tarmogʻingizda boʻlmasa, https:// dan foydalaning.</translation>
    </message>
    <message>
        <source>The password would not be encrypted</source>
        <translation>Parol shifrlanmaydi</translation>
    </message>
    <message>
        <source>Add a person</source>
        <translation>Kishi qoʻshish</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Ism:</translation>
    </message>
    <message>
        <source>PIN (4 to 8 digits, optional):</source>
        <translation>PIN-kod (4–8 raqam, ixtiyoriy):</translation>
    </message>
    <message>
        <source>The PIN again:</source>
        <translation>PIN-kod yana bir bor:</translation>
    </message>
    <message>
        <source>PIN of the administrator, {name}:</source>
        <translation>Administrator ({name}) PIN-kodi:</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>Ikki PIN-kod bir xil emas.</translation>
    </message>
    <message>
        <source>Type the administrator&apos;s PIN.</source>
        <translation>Administratorning PIN-kodini kiriting.</translation>
    </message>
    <message>
        <source>Who is reading? — Mutolaa</source>
        <translation>Kim oʻqiyapti? — Mutolaa</translation>
    </message>
    <message>
        <source>Who is reading?</source>
        <translation>Kim oʻqiyapti?</translation>
    </message>
    <message>
        <source>Add a person…</source>
        <translation>Kishi qoʻshish…</translation>
    </message>
    <message>
        <source>The people could not be read: {reason}</source>
        <translation>Kishilar roʻyxatini oʻqib boʻlmadi: {reason}</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN-kod</translation>
    </message>
    <message>
        <source>PIN of {name}:</source>
        <translation>{name} PIN-kodi:</translation>
    </message>
    <message>
        <source>Type the PIN.</source>
        <translation>PIN-kodni kiriting.</translation>
    </message>
    <message>
        <source>{name}, protected by a PIN</source>
        <translation>{name}, PIN-kod bilan himoyalangan</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Batafsil...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Batafsilni yashirish...</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Saqlash</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Hammasini saqlash</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ochish</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Ha</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>&amp;Hammasiga ha</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Yoʻq</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>Hammasiga y&amp;oʻq</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Toʻxtatish</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Qayta urinish</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Eʼtiborsiz qoldirish</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Yopish</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Bekor qilish</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Saqlamaslik</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Yordam</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Qoʻllash</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Qaytarish</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Odatiy qiymatlarni tiklash</translation>
    </message>
</context>
</TS>
