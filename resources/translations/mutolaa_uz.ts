<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="uz_UZ">
<context>
    <name></name>
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
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Sahifalar</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Oʻqilgan</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Qoʻshilgan</translation>
    </message>
    <message>
        <source>Library</source>
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
        <extracomment>The item role holding a note hit&apos;s annotation id (page hits and books have none). Whose notes the search finds (the current profile).</extracomment>
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
        <source>&amp;Full screen</source>
        <translation>&amp;Toʻliq ekran</translation>
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
        <source>&amp;Settings…</source>
        <translation>&amp;Sozlamalar…</translation>
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
        <source>Password</source>
        <translation>Parol</translation>
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
        <extracomment>(annotation, its new anchor or None: detached) for every quote that moved</extracomment>
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
</context>
</TS>
