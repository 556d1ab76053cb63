<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name></name>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Authors</source>
        <translation>Авторы</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Формат</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Страниц</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Прочитано</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Добавлена</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Библиотека</translation>
    </message>
    <message>
        <source>Filter by title or author</source>
        <translation>Фильтр по названию или автору</translation>
    </message>
    <message>
        <source>Filter the library</source>
        <translation>Фильтр библиотеки</translation>
    </message>
    <message>
        <source>Sort the books by</source>
        <translation>Сортировать книги по</translation>
    </message>
    <message>
        <source>&amp;List</source>
        <translation>&amp;Список</translation>
    </message>
    <message>
        <source>Show the books as a list</source>
        <translation>Показать книги списком</translation>
    </message>
    <message>
        <source>&amp;Covers</source>
        <translation>&amp;Обложки</translation>
    </message>
    <message>
        <source>Show the books as a grid of covers</source>
        <translation>Показать книги сеткой обложек</translation>
    </message>
    <message>
        <source>Books in the library</source>
        <translation>Книги в библиотеке</translation>
    </message>
    <message>
        <source>Covers of the books in the library</source>
        <translation>Обложки книг библиотеки</translation>
    </message>
    <message>
        <source>Book &amp;details…</source>
        <translation>&amp;Сведения о книге…</translation>
    </message>
    <message>
        <source>&amp;Remove from the library</source>
        <translation>&amp;Удалить из библиотеки</translation>
    </message>
    <message>
        <source>Only books of this format</source>
        <translation>Только книги этого формата</translation>
    </message>
    <message>
        <source>All formats</source>
        <translation>Все форматы</translation>
    </message>
    <message>
        <source>Only books in this language</source>
        <translation>Только книги на этом языке</translation>
    </message>
    <message>
        <source>All languages</source>
        <translation>Все языки</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Your library is empty&lt;/h2&gt;&lt;p&gt;Add books with &lt;b&gt;File → Import files…&lt;/b&gt; (Ctrl+O) or &lt;b&gt;File → Import a folder…&lt;/b&gt;, or drag files and folders here.&lt;/p&gt;&lt;p&gt;Mutolaa reads PDF, EPUB, FB2, MOBI, XPS, CBZ and TXT, and searches Uzbek in both scripts, Russian and English.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Ваша библиотека пуста&lt;/h2&gt;&lt;p&gt;Добавьте книги через &lt;b&gt;Файл → Импортировать файлы…&lt;/b&gt; (Ctrl+O) или &lt;b&gt;Файл → Импортировать папку…&lt;/b&gt; либо перетащите сюда файлы и папки.&lt;/p&gt;&lt;p&gt;Mutolaa читает PDF, EPUB, FB2, MOBI, XPS, CBZ и TXT и ищет по узбекским (в обеих письменностях), русским и английским текстам.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Search every book: words, &quot;phrases&quot;, prefix*</source>
        <extracomment>The item role holding a note hit&apos;s annotation id (page hits and books have none). Whose notes the search finds (the current profile).</extracomment>
        <translation>Поиск по всем книгам: слова, &quot;фразы&quot;, начало*</translation>
    </message>
    <message>
        <source>Search the library</source>
        <translation>Поиск по библиотеке</translation>
    </message>
    <message>
        <source>Book / page</source>
        <translation>Книга / страница</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Результаты поиска</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Import files…</source>
        <translation>&amp;Импортировать файлы…</translation>
    </message>
    <message>
        <source>Import a &amp;folder…</source>
        <translation>Импортировать &amp;папку…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Выход</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>&amp;Полный экран</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Найти…</translation>
    </message>
    <message>
        <source>&amp;Annotations…</source>
        <translation>&amp;Заметки…</translation>
    </message>
    <message>
        <source>&amp;Export annotations…</source>
        <translation>&amp;Экспорт заметок…</translation>
    </message>
    <message>
        <source>The settings could not be saved: {reason}</source>
        <translation>Не удалось сохранить настройки: {reason}</translation>
    </message>
    <message>
        <source>{n} annotation(s) exported to {path}</source>
        <translation>Заметок экспортировано: {n}, в {path}</translation>
    </message>
    <message>
        <source>The annotations could not be exported: {reason}</source>
        <translation>Не удалось экспортировать заметки: {reason}</translation>
    </message>
    <message>
        <source>The annotation could not be saved: {reason}</source>
        <translation>Не удалось сохранить заметку: {reason}</translation>
    </message>
    <message>
        <source>The library could not be read: {reason}</source>
        <translation>Не удалось прочитать библиотеку: {reason}</translation>
    </message>
    <message>
        <source>The import stopped: {reason}</source>
        <translation>Импорт остановлен: {reason}</translation>
    </message>
    <message>
        <source>{n} page(s) added to the search index</source>
        <translation>Страниц добавлено в поисковый индекс: {n}</translation>
    </message>
    <message>
        <source>The search index could not be brought up to date: {reason}</source>
        <translation>Не удалось обновить поисковый индекс: {reason}</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Undo {action}</source>
        <translation>&amp;Отменить: {action}</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <source>&amp;Redo {action}</source>
        <translation>&amp;Повторить: {action}</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Повторить</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <source>&amp;Search the library</source>
        <translation>&amp;Поиск по библиотеке</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <source>Library and open books</source>
        <translation>Библиотека и открытые книги</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>Настройки сохранены</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <source>Remove the book?</source>
        <translation>Удалить книгу?</translation>
    </message>
    <message>
        <source>Remove “{title}” and its file from the library?</source>
        <translation>Удалить «{title}» и её файл из библиотеки?</translation>
    </message>
    <message>
        <source>The book could not be removed: {reason}</source>
        <translation>Не удалось удалить книгу: {reason}</translation>
    </message>
    <message>
        <source>Import books</source>
        <translation>Импорт книг</translation>
    </message>
    <message>
        <source>Books (*.pdf *.epub *.fb2 *.mobi *.xps *.cbz *.txt);;All files (*)</source>
        <translation>Книги (*.pdf *.epub *.fb2 *.mobi *.xps *.cbz *.txt);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation>Импорт папки</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>Подробнее…</translation>
    </message>
    <message>
        <source>Details of the error</source>
        <translation>Подробности ошибки</translation>
    </message>
    <message>
        <source>Progress of the background work</source>
        <translation>Ход фоновой работы</translation>
    </message>
    <message>
        <source>Cancel the background work</source>
        <translation>Отменить фоновую работу</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>Импорт</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Чтение</translation>
    </message>
    <message>
        <source>Indexing</source>
        <translation>Индексирование</translation>
    </message>
    <message>
        <source>What went wrong</source>
        <translation>Что пошло не так</translation>
    </message>
    <message>
        <source>an unexpected error (see Details…)</source>
        <translation>непредвиденная ошибка (см. «Подробнее…»)</translation>
    </message>
    <message>
        <source>{added} added, {dupes} already there, {locked} locked, {failed} failed</source>
        <translation>добавлено: {added}, уже были: {dupes}, заблокировано: {locked}, с ошибкой: {failed}</translation>
    </message>
    <message>
        <source>Some files could not be imported</source>
        <translation>Некоторые файлы не удалось импортировать</translation>
    </message>
    <message>
        <source>{n} file(s) could not be imported.</source>
        <translation>Не удалось импортировать файлов: {n}.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Идёт поиск…</translation>
    </message>
    <message>
        <source>p. {n}</source>
        <translation>с. {n}</translation>
    </message>
    <message>
        <source>The search failed: {reason}</source>
        <translation>Поиск не удался: {reason}</translation>
    </message>
    <message>
        <source>Highlight, p. {n}</source>
        <translation>Выделение, с. {n}</translation>
    </message>
    <message>
        <source>Bookmark, p. {n}</source>
        <translation>Закладка, с. {n}</translation>
    </message>
    <message>
        <source>Note, p. {n}</source>
        <translation>Заметка, с. {n}</translation>
    </message>
    <message>
        <source>about </source>
        <translation>около </translation>
    </message>
    <message>
        <source>{about}{n} matching page(s), {k} matching note(s)</source>
        <translation>{about}страниц: {n}, заметок: {k}</translation>
    </message>
    <message>
        <source>{about}{n} matching page(s)</source>
        <translation>подходящих страниц: {about}{n}</translation>
    </message>
    <message>
        <source>That book is no longer in the library</source>
        <translation>Этой книги больше нет в библиотеке</translation>
    </message>
    <message>
        <source>The book could not be opened: {reason}</source>
        <translation>Не удалось открыть книгу: {reason}</translation>
    </message>
    <message>
        <source>Cannot open the book</source>
        <translation>Не удалось открыть книгу</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>“{title}” is encrypted. Its password:</source>
        <translation>«{title}» зашифрована. Её пароль:</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Предыдущая страница</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Следующая страница</translation>
    </message>
    <message>
        <source>Highlight the selected text</source>
        <translation>Выделить выбранный текст</translation>
    </message>
    <message>
        <source>Add a note</source>
        <translation>Добавить заметку</translation>
    </message>
    <message>
        <source>Bookmark this page</source>
        <translation>Заложить эту страницу</translation>
    </message>
    <message>
        <source>Page number</source>
        <translation>Номер страницы</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Содержание</translation>
    </message>
    <message>
        <source>of {n}</source>
        <translation>из {n}</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Уменьшить</translation>
    </message>
    <message>
        <source>Laying the book out…</source>
        <translation>Вёрстка книги…</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Увеличить</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>Мельче текст</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>Крупнее текст</translation>
    </message>
    <message>
        <source>Table of contents</source>
        <translation>Оглавление</translation>
    </message>
    <message>
        <source>Page thumbnails</source>
        <translation>Миниатюры страниц</translation>
    </message>
    <message>
        <source>Continuous scrolling</source>
        <translation>Непрерывная прокрутка</translation>
    </message>
    <message>
        <source>Day, night or sepia</source>
        <translation>Дневной, ночной или сепия</translation>
    </message>
    <message>
        <source>Rotate the page</source>
        <translation>Повернуть страницу</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>По ширине</translation>
    </message>
    <message>
        <source>Fit page</source>
        <translation>Страница целиком</translation>
    </message>
    <message>
        <source>Find in this book</source>
        <translation>Найти в этой книге</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Предыдущее совпадение</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Следующее совпадение</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Не найдено</translation>
    </message>
    <message>
        <source>{n} page(s)</source>
        <translation>страниц: {n}</translation>
    </message>
    <message>
        <source>This book cannot be shown: {reason}</source>
        <translation>Эту книгу нельзя показать: {reason}</translation>
    </message>
    <message>
        <source>This page cannot be shown: {reason}</source>
        <translation>Эту страницу нельзя показать: {reason}</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Что-то пошло не так</translation>
    </message>
    <message>
        <source>Mutolaa met an unexpected error: {error}. Your library is safe; the details are in the log.</source>
        <translation>В Mutolaa произошла непредвиденная ошибка: {error}. Ваша библиотека в сохранности; подробности в журнале.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>The standard folder</source>
        <translation>Стандартная папка</translation>
    </message>
    <message>
        <source>Library folder</source>
        <translation>Папка библиотеки</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>Язык интерфейса</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Page colours</source>
        <translation>Цвета страниц</translation>
    </message>
    <message>
        <source>Reading mode</source>
        <translation>Режим чтения</translation>
    </message>
    <message>
        <source>Font size of EPUB, FB2, MOBI and TXT books</source>
        <translation>Размер шрифта книг EPUB, FB2, MOBI и TXT</translation>
    </message>
    <message>
        <source>Choose the library folder</source>
        <translation>Выберите папку библиотеки</translation>
    </message>
    <message>
        <source>Pages one under another</source>
        <translation>Страницы одна под другой</translation>
    </message>
    <message>
        <source>One page at a time</source>
        <translation>По одной странице</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Дневной</translation>
    </message>
    <message>
        <source>Night</source>
        <translation>Ночной</translation>
    </message>
    <message>
        <source>Sepia</source>
        <translation>Сепия</translation>
    </message>
    <message>
        <source>The library folder applies at the next start.</source>
        <translation>Папка библиотеки будет использована при следующем запуске.</translation>
    </message>
    <message>
        <source>Default zoom</source>
        <translation>Масштаб по умолчанию</translation>
    </message>
    <message>
        <source>Page {n}</source>
        <translation>Страница {n}</translation>
    </message>
    <message>
        <source>Change colour</source>
        <translation>Изменить цвет</translation>
    </message>
    <message>
        <source>Rename bookmark</source>
        <translation>Переименовать закладку</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>Изменить заметку</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Добавить заметку</translation>
    </message>
    <message>
        <source>Delete bookmark</source>
        <translation>Удалить закладку</translation>
    </message>
    <message>
        <source>Delete note</source>
        <translation>Удалить заметку</translation>
    </message>
    <message>
        <source>Delete highlight</source>
        <translation>Удалить выделение</translation>
    </message>
    <message>
        <source>Markdown notes (*.md)</source>
        <translation>Заметки Markdown (*.md)</translation>
    </message>
    <message>
        <source>Web Annotation JSON-LD (*.jsonld)</source>
        <translation>Web Annotation JSON-LD (*.jsonld)</translation>
    </message>
    <message>
        <source>A copy of the PDF with the annotations (*.pdf)</source>
        <translation>Копия PDF с заметками (*.pdf)</translation>
    </message>
    <message>
        <source>Export the annotations of “{title}”</source>
        <translation>Экспорт заметок к «{title}»</translation>
    </message>
    <message>
        <source>Yellow</source>
        <extracomment>How each highlight colour is drawn (opaque; pages show it translucent).</extracomment>
        <translation>Жёлтый</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Зелёный</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>Синий</translation>
    </message>
    <message>
        <source>Pink</source>
        <translation>Розовый</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>Оранжевый</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>Закладка</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>Highlight</source>
        <translation>Выделение</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>Страница</translation>
    </message>
    <message>
        <source>Quote</source>
        <translation>Цитата</translation>
    </message>
    <message>
        <source>Detached</source>
        <translation>Место не найдено</translation>
    </message>
    <message>
        <source>All colours</source>
        <translation>Все цвета</translation>
    </message>
    <message>
        <source>All books</source>
        <translation>Все книги</translation>
    </message>
    <message>
        <source>Show annotations of a colour</source>
        <translation>Показать заметки одного цвета</translation>
    </message>
    <message>
        <source>Show annotations of a book</source>
        <translation>Показать заметки одной книги</translation>
    </message>
    <message>
        <source>Filter annotations</source>
        <translation>Фильтр заметок</translation>
    </message>
    <message>
        <source>Annotations</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <source>&amp;Go to</source>
        <translation>&amp;Перейти</translation>
    </message>
    <message>
        <source>&amp;Edit note…</source>
        <translation>&amp;Изменить заметку…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Удалить</translation>
    </message>
    <message>
        <source>&amp;Colour</source>
        <translation>&amp;Цвет</translation>
    </message>
    <message>
        <source>Annotations in the library</source>
        <translation>Заметки в библиотеке</translation>
    </message>
    <message>
        <source>{n} annotation(s) shown</source>
        <translation>Показано заметок: {n}</translation>
    </message>
    <message>
        <source>&amp;Highlight</source>
        <extracomment>(annotation, its new anchor or None: detached) for every quote that moved</extracomment>
        <translation>&amp;Выделить</translation>
    </message>
    <message>
        <source>Add &amp;note…</source>
        <translation>Добавить &amp;заметку…</translation>
    </message>
    <message>
        <source>Add &amp;bookmark</source>
        <translation>Добавить за&amp;кладку</translation>
    </message>
    <message>
        <source>Page {page}</source>
        <translation>Страница {page}</translation>
    </message>
    <message>
        <source>Add bookmark</source>
        <translation>Добавить закладку</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Заметка:</translation>
    </message>
    <message>
        <source>Highlight in colour</source>
        <translation>Выделить цветом</translation>
    </message>
    <message>
        <source>Edit note on “{quote}”…</source>
        <translation>Изменить заметку к «{quote}»…</translation>
    </message>
    <message>
        <source>Colour of “{quote}”</source>
        <translation>Цвет «{quote}»</translation>
    </message>
    <message>
        <source>Delete highlight “{quote}”</source>
        <translation>Удалить выделение «{quote}»</translation>
    </message>
</context>
</TS>
