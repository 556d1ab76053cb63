<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name></name>
    <message>
        <source>free</source>
        <extracomment>Short names of the media types catalogues offer (the rest are shown as given).</extracomment>
        <translation>бесплатно</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>фрагмент</translation>
    </message>
    <message>
        <source>preview</source>
        <translation>предпросмотр</translation>
    </message>
    <message>
        <source>to borrow</source>
        <translation>на время</translation>
    </message>
    <message>
        <source>to buy</source>
        <translation>для покупки</translation>
    </message>
    <message>
        <source>by subscription</source>
        <translation>по подписке</translation>
    </message>
    <message>
        <source>The catalogue offers no download of this book.</source>
        <translation>Каталог не предлагает эту книгу для скачивания.</translation>
    </message>
    <message>
        <source>This book must be borrowed or bought on the library&apos;s website.</source>
        <translation>Эту книгу нужно взять на время или купить на сайте библиотеки.</translation>
    </message>
    <message>
        <source>This book is offered only as {formats}, which Mutolaa cannot read or which needs a DRM licence.</source>
        <translation>Эта книга предлагается только в виде {formats}: Mutolaa не умеет читать такие файлы или для них нужна лицензия DRM.</translation>
    </message>
    <message>
        <source>Details of the chosen book</source>
        <translation>Сведения о выбранной книге</translation>
    </message>
    <message>
        <source>Authors:</source>
        <translation>Авторы:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Язык:</translation>
    </message>
    <message>
        <source>Published:</source>
        <translation>Издано:</translation>
    </message>
    <message>
        <source>Subjects:</source>
        <translation>Темы:</translation>
    </message>
    <message>
        <source>Formats:</source>
        <translation>Форматы:</translation>
    </message>
    <message>
        <source>Cover</source>
        <translation>Обложка</translation>
    </message>
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
        <source>Published</source>
        <translation>Издано</translation>
    </message>
    <message>
        <source>Subjects</source>
        <translation>Темы</translation>
    </message>
    <message>
        <source>Formats offered</source>
        <translation>Предлагаемые форматы</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Аннотация</translation>
    </message>
    <message>
        <source>Whether the book can be downloaded</source>
        <translation>Можно ли скачать книгу</translation>
    </message>
    <message>
        <source>Download the book into the library</source>
        <translation>Скачать книгу в библиотеку</translation>
    </message>
    <message>
        <source>&amp;Read</source>
        <translation>&amp;Читать</translation>
    </message>
    <message>
        <source>Read the book from your library</source>
        <translation>Читать книгу из вашей библиотеки</translation>
    </message>
    <message>
        <source>Choose a book to see its details.</source>
        <translation>Выберите книгу, чтобы увидеть сведения о ней.</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>В очереди</translation>
    </message>
    <message>
        <source>Queuing…</source>
        <translation>Постановка в очередь…</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Скачать</translation>
    </message>
    <message>
        <source>This book is in your library.</source>
        <translation>Эта книга есть в вашей библиотеке.</translation>
    </message>
    <message>
        <source>Queued: it downloads in the background, then appears in your library.</source>
        <translation>В очереди: книга скачается в фоне, а затем появится в вашей библиотеке.</translation>
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
        <source>{size} B</source>
        <extracomment>The list&apos;s columns. The panel&apos;s actions, in the order of the buttons and the context menu. The least time between two readings of the queue (milliseconds). Starting widths of the columns (the problem takes the rest). The progress bars count in thousandths (a QProgressBar holds 32-bit values only).</extracomment>
        <translation>{size} Б</translation>
    </message>
    <message>
        <source>{size} KB</source>
        <translation>{size} КБ</translation>
    </message>
    <message>
        <source>{size} MB</source>
        <translation>{size} МБ</translation>
    </message>
    <message>
        <source>{size} GB</source>
        <translation>{size} ГБ</translation>
    </message>
    <message>
        <source>{size}/s</source>
        <translation>{size}/с</translation>
    </message>
    <message>
        <source>{seconds} s left</source>
        <translation>осталось {seconds} с</translation>
    </message>
    <message>
        <source>{minutes} min left</source>
        <translation>осталось {minutes} мин</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min left</source>
        <translation>осталось {hours} ч {minutes} мин</translation>
    </message>
    <message>
        <source>Waiting to try again</source>
        <translation>Ожидание повторной попытки</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Скачивается</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Приостановлено</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Прогресс</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Скорость</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Осталось</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Проблема</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Загрузки</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Приостановить</translation>
    </message>
    <message>
        <source>Pause the chosen download</source>
        <translation>Приостановить выбранную загрузку</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Возобновить</translation>
    </message>
    <message>
        <source>Resume the chosen download</source>
        <translation>Возобновить выбранную загрузку</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Try the chosen download again now</source>
        <translation>Повторить выбранную загрузку сейчас</translation>
    </message>
    <message>
        <source>Cancel the chosen download</source>
        <translation>Отменить выбранную загрузку</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>Убрать из списка</translation>
    </message>
    <message>
        <source>Remove the chosen download from the list</source>
        <translation>Убрать выбранную загрузку из списка</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <source>Download the chosen one earlier</source>
        <translation>Скачать выбранную раньше</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <source>Download the chosen one later</source>
        <translation>Скачать выбранную позже</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Прочитано</translation>
    </message>
    <message>
        <source>Read the chosen downloaded book</source>
        <translation>Читать выбранную скачанную книгу</translation>
    </message>
    <message>
        <source>Speed limit:</source>
        <translation>Ограничение скорости:</translation>
    </message>
    <message>
        <source>Speed limit for downloads</source>
        <translation>Ограничение скорости загрузок</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Без ограничения</translation>
    </message>
    <message>
        <source> KB/s</source>
        <translation> КБ/с</translation>
    </message>
    <message>
        <source>What the downloads are doing</source>
        <translation>Состояние загрузок</translation>
    </message>
    <message>
        <source>The downloads could not be read: {reason}</source>
        <translation>Не удалось прочитать список загрузок: {reason}</translation>
    </message>
    <message>
        <source>Progress of “{name}”</source>
        <translation>Ход загрузки «{name}»</translation>
    </message>
    <message>
        <source>{received} of {total}</source>
        <translation>{received} из {total}</translation>
    </message>
    <message>
        <source>Download actions</source>
        <translation>Действия с загрузками</translation>
    </message>
    <message>
        <source>The download could not be changed: {reason}</source>
        <translation>Не удалось изменить загрузку: {reason}</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Добавлена</translation>
    </message>
    <message>
        <source>Library</source>
        <extracomment>How long a passing note (&quot;Settings saved&quot;) stays in the status bar, in milliseconds.</extracomment>
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
        <source>All shelves</source>
        <translation>Все полки</translation>
    </message>
    <message>
        <source>Only books on this shelf</source>
        <translation>Только книги с этой полки</translation>
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
        <source>Reading now</source>
        <translation>Читаю сейчас</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Прочитано</translation>
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
        <extracomment>The item role holding a note hit&apos;s annotation id (page hits and books have none).</extracomment>
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
        <source>&amp;Tools</source>
        <translation>Се&amp;рвис</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;About Mutolaa</source>
        <translation>&amp;О программе Mutolaa</translation>
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
        <source>S&amp;witch person…</source>
        <translation>Сменить &amp;читателя…</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>&amp;Полный экран</translation>
    </message>
    <message>
        <source>&amp;Options…</source>
        <translation>&amp;Параметры…</translation>
    </message>
    <message>
        <source>Pr&amp;eferences…</source>
        <translation>Н&amp;астройки…</translation>
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
        <source>&amp;Catalogues and downloads</source>
        <translation>&amp;Каталоги и загрузки</translation>
    </message>
    <message>
        <source>Catalogues</source>
        <translation>Каталоги</translation>
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
        <source>“{name}” cannot be reached, and this page was not opened before, so there is no offline copy of it.</source>
        <translation>Сервер «{name}» недоступен, а эта страница раньше не открывалась, поэтому её сохранённой копии нет.</translation>
    </message>
    <message>
        <source>“{name}” refused the user name and password: change them in Settings → Library servers.</source>
        <translation>Сервер «{name}» не принял имя пользователя и пароль: измените их в разделе Настройки → Серверы библиотек.</translation>
    </message>
    <message>
        <source>“{name}” asks for a kind of sign-in Mutolaa cannot do ({scheme}).</source>
        <translation>Сервер «{name}» требует способ входа, который Mutolaa не поддерживает ({scheme}).</translation>
    </message>
    <message>
        <source>“{name}” asks for a user name and password: add them in Settings → Library servers.</source>
        <translation>Сервер «{name}» запрашивает имя пользователя и пароль: добавьте их в разделе Настройки → Серверы библиотек.</translation>
    </message>
    <message>
        <source>“{name}” sent a page Mutolaa cannot read ({problem}).</source>
        <translation>Сервер «{name}» прислал страницу, которую Mutolaa не может прочитать ({problem}).</translation>
    </message>
    <message>
        <source>“{name}” has no such page (it may have been moved or removed).</source>
        <translation>На сервере «{name}» нет такой страницы (возможно, её перенесли или удалили).</translation>
    </message>
    <message>
        <source>“{name}” could not be read: {reason}</source>
        <translation>Не удалось получить данные с сервера «{name}»: {reason}</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>Что-то пошло не так: {error}</translation>
    </message>
    <message>
        <source>Library servers</source>
        <translation>Серверы библиотек</translation>
    </message>
    <message>
        <source>&amp;Catalogue:</source>
        <translation>&amp;Каталог:</translation>
    </message>
    <message>
        <source>Library server to browse</source>
        <translation>Сервер библиотеки для просмотра</translation>
    </message>
    <message>
        <source>← &amp;Back</source>
        <translation>← &amp;Назад</translation>
    </message>
    <message>
        <source>Back to the previous page (Alt+Left)</source>
        <translation>Вернуться на предыдущую страницу (Alt+←)</translation>
    </message>
    <message>
        <source>Back to the previous page</source>
        <translation>Вернуться на предыдущую страницу</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>&amp;Обновить</translation>
    </message>
    <message>
        <source>Ask the server for this page again (F5)</source>
        <translation>Заново запросить эту страницу у сервера (F5)</translation>
    </message>
    <message>
        <source>Ask the server for this page again</source>
        <translation>Заново запросить эту страницу у сервера</translation>
    </message>
    <message>
        <source>Work &amp;offline</source>
        <translation>Работать &amp;автономно</translation>
    </message>
    <message>
        <source>Show only the pages saved on this computer; do not ask the server</source>
        <translation>Показывать только страницы, сохранённые на этом компьютере, и не обращаться к серверу</translation>
    </message>
    <message>
        <source>Work offline</source>
        <translation>Работать автономно</translation>
    </message>
    <message>
        <source>Search the catalogue</source>
        <translation>Поиск по каталогу</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Показать</translation>
    </message>
    <message>
        <source>Other views of this page: order, subject, language</source>
        <translation>Другие представления этой страницы: порядок, тема, язык</translation>
    </message>
    <message>
        <source>Other views of this page</source>
        <translation>Другие представления этой страницы</translation>
    </message>
    <message>
        <source>Pages walked</source>
        <translation>Пройденные страницы</translation>
    </message>
    <message>
        <source>Which copy of the page is shown</source>
        <translation>Какая копия страницы показана</translation>
    </message>
    <message>
        <source>What the browser is doing or what went wrong</source>
        <translation>Что делает обозреватель каталогов или что пошло не так</translation>
    </message>
    <message>
        <source>Contents of the catalogue page</source>
        <translation>Содержимое страницы каталога</translation>
    </message>
    <message>
        <source>Load the next page of this list</source>
        <translation>Загрузить следующую страницу этого списка</translation>
    </message>
    <message>
        <source>No library servers yet: add one in Settings → Library servers.</source>
        <translation>Серверов библиотек пока нет: добавьте сервер в разделе Настройки → Серверы библиотек.</translation>
    </message>
    <message>
        <source>Searching for “{terms}”…</source>
        <translation>Поиск «{terms}»…</translation>
    </message>
    <message>
        <source>Loading the next page…</source>
        <translation>Загрузка следующей страницы…</translation>
    </message>
    <message>
        <source>Opening “{title}”…</source>
        <translation>Открывается «{title}»…</translation>
    </message>
    <message>
        <source>Found among the catalogue pages saved on this computer (the catalogue&apos;s own search could not be used).</source>
        <translation>Найдено среди страниц каталога, сохранённых на этом компьютере (собственным поиском каталога воспользоваться не удалось).</translation>
    </message>
    <message>
        <source>Offline copy from {time}: the server was not asked or did not answer.</source>
        <translation>Сохранённая копия от {time}: сервер не опрашивался или не ответил.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>Load &amp;more</source>
        <translation>Загрузить &amp;ещё</translation>
    </message>
    <message>
        <source>Search: {terms}</source>
        <translation>Поиск: {terms}</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <extracomment>Gives a cover&apos;s bytes (None when there is none); runs in a worker thread, may raise.</extracomment>
        <translation>(без названия)</translation>
    </message>
    <message>
        <source>Shown: {title}</source>
        <translation>Показано: {title}</translation>
    </message>
    <message>
        <source>Back to “{title}”</source>
        <translation>Вернуться к «{title}»</translation>
    </message>
    <message>
        <source>“{title}” was not queued: {reason}</source>
        <translation>Не удалось поставить «{title}» в очередь: {reason}</translation>
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
        <source>{n} skipped (not books)</source>
        <translation>пропущено: {n} (не книги)</translation>
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
        <source>The search cannot be read: the “(” at character {n} is never closed.</source>
        <translation>Поиск не удаётся прочитать: «(» в позиции {n} не закрыта.</translation>
    </message>
    <message>
        <source>The search cannot be read: “{token}” at character {n} has nothing before it.</source>
        <translation>Поиск не удаётся прочитать: перед «{token}» в позиции {n} ничего нет.</translation>
    </message>
    <message>
        <source>The search cannot be read: the brackets at character {n} hold nothing.</source>
        <translation>Поиск не удаётся прочитать: скобки в позиции {n} пусты.</translation>
    </message>
    <message>
        <source>The search cannot be read: “{token}” at character {n} has nothing after it.</source>
        <translation>Поиск не удаётся прочитать: после «{token}» в позиции {n} ничего нет.</translation>
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
        <source>Connected: the catalogue “{title}” answered.</source>
        <extracomment>The list&apos;s columns: name, address, user name (never the password).</extracomment>
        <translation>Подключено: каталог «{title}» ответил.</translation>
    </message>
    <message>
        <source>Connected: the catalogue answered (it has no title).</source>
        <translation>Подключено: каталог ответил (у него нет названия).</translation>
    </message>
    <message>
        <source>The server cannot be reached: check the address and the connection.</source>
        <translation>Сервер недоступен: проверьте адрес и подключение.</translation>
    </message>
    <message>
        <source>“{server}” asks for a user name and password.</source>
        <translation>Каталог «{server}» запрашивает имя пользователя и пароль.</translation>
    </message>
    <message>
        <source>The server asks for a user name and password.</source>
        <translation>Сервер запрашивает имя пользователя и пароль.</translation>
    </message>
    <message>
        <source>The server refused the user name and password.</source>
        <translation>Сервер не принял имя пользователя и пароль.</translation>
    </message>
    <message>
        <source>The server asks for a kind of sign-in Mutolaa cannot do ({scheme}).</source>
        <translation>Сервер требует способ входа, который Mutolaa не поддерживает ({scheme}).</translation>
    </message>
    <message>
        <source>The server has nothing at this address (not found).</source>
        <translation>По этому адресу на сервере ничего нет (не найдено).</translation>
    </message>
    <message>
        <source>This address answers, but not with an OPDS catalogue.</source>
        <translation>По этому адресу есть ответ, но это не каталог OPDS.</translation>
    </message>
    <message>
        <source>The server could not be read: {reason}</source>
        <translation>Не удалось получить данные с сервера: {reason}</translation>
    </message>
    <message>
        <source>The address must be an http:// or https:// URL with a server name.</source>
        <translation>Адрес должен быть URL вида http:// или https:// с именем сервера.</translation>
    </message>
    <message>
        <source>Add a library server</source>
        <translation>Добавить сервер библиотеки</translation>
    </message>
    <message>
        <source>Change the library server</source>
        <translation>Изменить сервер библиотеки</translation>
    </message>
    <message>
        <source>Address (URL)</source>
        <translation>Адрес (URL)</translation>
    </message>
    <message>
        <source>Signed in as {user} at {server}.</source>
        <translation>Вход выполнен: {user} на {server}.</translation>
    </message>
    <message>
        <source>This address answers, but not as a Mutolaa library server.</source>
        <translation>Этот адрес отвечает, но это не сервер библиотеки Mutolaa.</translation>
    </message>
    <message>
        <source>The server says this account is disabled: ask its librarian.</source>
        <translation>Сервер сообщает, что эта учётная запись отключена: обратитесь к библиотекарю.</translation>
    </message>
    <message>
        <source>Too many failed sign-ins: try again in a few minutes.</source>
        <translation>Слишком много неудачных попыток входа: повторите через несколько минут.</translation>
    </message>
    <message>
        <source>The server could not sign you in: {reason}</source>
        <translation>Сервер не выполнил вход: {reason}</translation>
    </message>
    <message>
        <source>Signed out. The server does not answer: it will be told to stop accepting this computer at the next sync. Your notes stay on this computer.</source>
        <translation>Выход выполнен. Сервер не отвечает: при следующей синхронизации ему будет сказано больше не принимать этот компьютер. Ваши заметки остаются на этом компьютере.</translation>
    </message>
    <message>
        <source>Server address (URL)</source>
        <translation>Адрес сервера (URL)</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>https://kutubxona.example.org/</source>
        <translation>https://kutubxona.example.org/</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <source>Sign in to the library server</source>
        <translation>Войти на сервер библиотеки</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Sign out of the library server</source>
        <translation>Выйти с сервера библиотеки</translation>
    </message>
    <message>
        <source>Who is signed in</source>
        <translation>Кто вошёл</translation>
    </message>
    <message>
        <source>The last sync</source>
        <translation>Последняя синхронизация</translation>
    </message>
    <message>
        <source>What signing in or out did</source>
        <translation>Результат входа или выхода</translation>
    </message>
    <message>
        <source>About syncing</source>
        <translation>О синхронизации</translation>
    </message>
    <message>
        <source>Your notes, highlights, bookmarks and reading progress are synced with this server. Signing out keeps them on this computer.</source>
        <translation>Ваши заметки, выделения, закладки и место чтения синхронизируются с этим сервером. После выхода они остаются на этом компьютере.</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>Вход не выполнен.</translation>
    </message>
    <message>
        <source>Signed out (last signed in as {user} at {server}).</source>
        <translation>Выход выполнен (последний вход: {user} на {server}).</translation>
    </message>
    <message>
        <source>Last sync: {time}.</source>
        <translation>Последняя синхронизация: {time}.</translation>
    </message>
    <message>
        <source>Not synced yet.</source>
        <translation>Ещё не синхронизировано.</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>Последняя ошибка: {error}</translation>
    </message>
    <message>
        <source>The account could not be read or changed: {reason}</source>
        <translation>Не удалось прочитать или изменить учётную запись: {reason}</translation>
    </message>
    <message>
        <source>Type your user name on this server.</source>
        <translation>Введите имя пользователя на этом сервере.</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>Введите пароль.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Выполняется вход…</translation>
    </message>
    <message>
        <source>Signed out. Your notes stay on this computer.</source>
        <translation>Выход выполнен. Ваши заметки остаются на этом компьютере.</translation>
    </message>
    <message>
        <source>The catalogue&apos;s own title</source>
        <translation>Название, которое даёт каталог</translation>
    </message>
    <message>
        <source>https://example.org/opds</source>
        <translation>https://example.org/opds</translation>
    </message>
    <message>
        <source>When the server asks for one</source>
        <translation>Если сервер его запросит</translation>
    </message>
    <message>
        <source>What the test or the saving found</source>
        <translation>Результат проверки или сохранения</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Добавить…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <source>Change the chosen library server</source>
        <translation>Изменить выбранный сервер библиотеки</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Remove the chosen library server</source>
        <translation>Удалить выбранный сервер библиотеки</translation>
    </message>
    <message>
        <source>Test the chosen library server</source>
        <translation>Проверить выбранный сервер библиотеки</translation>
    </message>
    <message>
        <source>What the library servers page did</source>
        <translation>Сообщения страницы серверов библиотек</translation>
    </message>
    <message>
        <source>Library servers are saved as soon as they are added, changed or removed.</source>
        <translation>Серверы библиотек сохраняются сразу после добавления, изменения или удаления.</translation>
    </message>
    <message>
        <source>No library servers yet. Add one with “Add…” and the address of its catalogue.</source>
        <translation>Серверов библиотек пока нет. Добавьте сервер кнопкой «Добавить…», указав адрес его каталога.</translation>
    </message>
    <message>
        <source>The library servers could not be read: {reason}</source>
        <translation>Не удалось прочитать список серверов библиотек: {reason}</translation>
    </message>
    <message>
        <source>Checking “{name}”…</source>
        <translation>Проверка «{name}»…</translation>
    </message>
    <message>
        <source>{name}: {result}</source>
        <translation>{name}: {result}</translation>
    </message>
    <message>
        <source>The server could not be tested: {reason}</source>
        <translation>Не удалось проверить сервер: {reason}</translation>
    </message>
    <message>
        <source>Checking the server…</source>
        <translation>Проверка сервера…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Saved “{name}”.</source>
        <translation>Сервер «{name}» сохранён.</translation>
    </message>
    <message>
        <source>Saved “{name}”, though its server did not answer now; test it again later.</source>
        <translation>Сервер «{name}» сохранён, но сейчас он не ответил; проверьте его ещё раз позже.</translation>
    </message>
    <message>
        <source>The library server could not be saved: {reason}</source>
        <translation>Не удалось сохранить сервер библиотеки: {reason}</translation>
    </message>
    <message>
        <source>Remove the library server?</source>
        <translation>Удалить сервер библиотеки?</translation>
    </message>
    <message>
        <source>Remove “{name}” and the user name and password saved for it?</source>
        <translation>Удалить «{name}» и сохранённые для него имя пользователя и пароль?</translation>
    </message>
    <message>
        <source>Removed “{name}”.</source>
        <translation>Сервер «{name}» удалён.</translation>
    </message>
    <message>
        <source>The library server could not be removed: {reason}</source>
        <translation>Не удалось удалить сервер библиотеки: {reason}</translation>
    </message>
    <message>
        <source>A library server named “{name}” already exists; choose another name.</source>
        <translation>Сервер библиотеки с названием «{name}» уже есть; выберите другое название.</translation>
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
        <source>In use: {folder}, given when Mutolaa was started (--library or MUTOLAA_HOME); the setting does not choose the folder then.</source>
        <translation>Используется: {folder} — указана при запуске Mutolaa (--library или MUTOLAA_HOME); в этом случае папку выбирает не настройка.</translation>
    </message>
    <message>
        <source>In use: {folder}. Another folder applies at the next start.</source>
        <translation>Используется: {folder}. Другая папка будет использована при следующем запуске.</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Учётная запись</translation>
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
        <extracomment>(annotation, its new anchor or None: detached) for every quote that moved</extracomment>
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
    <message>
        <source>{count} items</source>
        <translation>элементов: {count}</translation>
    </message>
    <message>
        <source>✓ In your library</source>
        <translation>✓ В вашей библиотеке</translation>
    </message>
    <message>
        <source>Queued for download</source>
        <translation>В очереди на скачивание</translation>
    </message>
    <message>
        <source>Open all of “{title}”</source>
        <translation>Открыть весь раздел «{title}»</translation>
    </message>
    <message>
        <source>Library servers and downloads</source>
        <translation>Серверы библиотек и загрузки</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <extracomment>How often a run asks again for a queue another run of this process held for a moment.</extracomment>
        <translation>Идёт скачивание…</translation>
    </message>
    <message>
        <source>Some downloads are waiting for the server; trying again in {wait}.</source>
        <translation>Некоторые загрузки ждут ответа сервера; повтор через {wait}.</translation>
    </message>
    <message>
        <source>Another Mutolaa is running these downloads; trying again in {wait}.</source>
        <translation>Эти загрузки выполняет другой запущенный экземпляр Mutolaa; повтор через {wait}.</translation>
    </message>
    <message>
        <source>The downloads stopped: {reason}; trying again in {wait}.</source>
        <translation>Загрузки остановлены: {reason}; повтор через {wait}.</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} с</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} мин</translation>
    </message>
    <message>
        <source>KOReader progress sync is on for {user} at {server}.</source>
        <translation>Синхронизация места чтения с KOReader включена: {user} на {server}.</translation>
    </message>
    <message>
        <source>The KOReader sync server cannot be reached: check the address and the connection.</source>
        <translation>Сервер синхронизации KOReader недоступен: проверьте адрес и подключение.</translation>
    </message>
    <message>
        <source>The server refused this user name and password for KOReader sync.</source>
        <translation>Сервер не принял это имя пользователя и пароль для синхронизации KOReader.</translation>
    </message>
    <message>
        <source>KOReader sync was not turned on: {reason}</source>
        <translation>Синхронизация с KOReader не включена: {reason}</translation>
    </message>
    <message>
        <source>This address answers, but not as a KOReader sync server.</source>
        <translation>Этот адрес отвечает, но это не сервер синхронизации KOReader.</translation>
    </message>
    <message>
        <source>KOReader progress sync is off.</source>
        <translation>Синхронизация места чтения с KOReader выключена.</translation>
    </message>
    <message>
        <source>KOReader progress sync is off (last used as {user} at {server}).</source>
        <translation>Синхронизация с KOReader выключена (последний раз: {user} на {server}).</translation>
    </message>
    <message>
        <source>On for {user} at {server}; last sync {time}.</source>
        <translation>Включена для {user} на {server}; последняя синхронизация {time}.</translation>
    </message>
    <message>
        <source>On for {user} at {server}; not synced yet.</source>
        <translation>Включена для {user} на {server}; ещё не синхронизировано.</translation>
    </message>
    <message>
        <source>KOReader progress sync</source>
        <translation>Синхронизация места чтения с KOReader</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <source>So that your e-ink reader with KOReader and this computer agree on the page. Only the MD5 of the password is kept: give KOReader sync a password of its own.</source>
        <translation>Чтобы ваша электронная книга с KOReader и этот компьютер открывали одну и ту же страницу. Хранится только MD5 пароля: задайте для синхронизации KOReader отдельный пароль.</translation>
    </message>
    <message>
        <source>About KOReader progress sync</source>
        <translation>О синхронизации с KOReader</translation>
    </message>
    <message>
        <source>KOReader progress sync status</source>
        <translation>Состояние синхронизации с KOReader</translation>
    </message>
    <message>
        <source>KOReader sync server address (URL)</source>
        <translation>Адрес сервера синхронизации KOReader (URL)</translation>
    </message>
    <message>
        <source>https://sync.koreader.rocks/</source>
        <translation>https://sync.koreader.rocks/</translation>
    </message>
    <message>
        <source>KOReader sync user name</source>
        <translation>Имя пользователя синхронизации KOReader</translation>
    </message>
    <message>
        <source>KOReader sync password</source>
        <translation>Пароль синхронизации KOReader</translation>
    </message>
    <message>
        <source>Turn on</source>
        <translation>Включить</translation>
    </message>
    <message>
        <source>Turn KOReader progress sync on</source>
        <translation>Включить синхронизацию с KOReader</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Выключить</translation>
    </message>
    <message>
        <source>Turn KOReader progress sync off</source>
        <translation>Выключить синхронизацию с KOReader</translation>
    </message>
    <message>
        <source>What turning KOReader sync on or off did</source>
        <translation>Результат включения или выключения синхронизации KOReader</translation>
    </message>
    <message>
        <source>KOReader sync could not be read or changed: {reason}</source>
        <translation>Не удалось прочитать или изменить синхронизацию KOReader: {reason}</translation>
    </message>
    <message>
        <source>Type your user name on the KOReader sync server.</source>
        <translation>Введите имя пользователя на сервере синхронизации KOReader.</translation>
    </message>
    <message>
        <source>Type your KOReader sync password.</source>
        <translation>Введите пароль синхронизации KOReader.</translation>
    </message>
    <message>
        <source>Checking with the KOReader sync server…</source>
        <translation>Проверка на сервере синхронизации KOReader…</translation>
    </message>
    <message>
        <source>KOReader progress sync is off; the key was forgotten.</source>
        <translation>Синхронизация с KOReader выключена; ключ удалён.</translation>
    </message>
    <message>
        <source>Books on your other devices</source>
        <translation>Книги на других ваших устройствах</translation>
    </message>
    <message>
        <source>Books your other computers and devices keep that this library does not have, as of the last sync.</source>
        <translation>Книги, которые есть на других ваших компьютерах и устройствах, но нет в этой библиотеке (по данным последней синхронизации).</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Где</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Каталог</translation>
    </message>
    <message>
        <source>What this list holds</source>
        <translation>Что в этом списке</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Скачать</translation>
    </message>
    <message>
        <source>Download the chosen book here</source>
        <translation>Скачать выбранную книгу сюда</translation>
    </message>
    <message>
        <source>What the list says</source>
        <translation>Сообщение списка</translation>
    </message>
    <message>
        <source>(from a file)</source>
        <translation>(из файла)</translation>
    </message>
    <message>
        <source>Your other devices keep no book that is not here.</source>
        <translation>На других ваших устройствах нет книг, которых нет здесь.</translation>
    </message>
    <message>
        <source>“{book}” was added from a file there: copy it from that computer.</source>
        <translation>«{book}» добавлена там из файла: скопируйте её с того компьютера.</translation>
    </message>
    <message>
        <source>“{book}” is in the download queue (Catalogues › Downloads).</source>
        <translation>«{book}» в очереди загрузок (Каталоги › Загрузки).</translation>
    </message>
    <message>
        <source>On KOReader ({device}) you were at {position} ({percent} %).</source>
        <translation>В KOReader ({device}) вы были на {position} ({percent} %).</translation>
    </message>
    <message>
        <source>On KOReader you were at {position} ({percent} %).</source>
        <translation>В KOReader вы были на {position} ({percent} %).</translation>
    </message>
    <message>
        <source>On another device you were at {position} ({percent} %).</source>
        <translation>На другом устройстве вы были на {position} ({percent} %).</translation>
    </message>
    <message>
        <source>Sync: to resolve</source>
        <translation>Синхронизация: требует решения</translation>
    </message>
    <message>
        <source>Notes edited on two devices</source>
        <translation>Заметки, изменённые на двух устройствах</translation>
    </message>
    <message>
        <source>This text</source>
        <translation>Этот текст</translation>
    </message>
    <message>
        <source>The other text</source>
        <translation>Другой текст</translation>
    </message>
    <message>
        <source>The note&apos;s text as the server kept it</source>
        <translation>Текст заметки, сохранённый на сервере</translation>
    </message>
    <message>
        <source>The note&apos;s other text</source>
        <translation>Другой текст заметки</translation>
    </message>
    <message>
        <source>Keep this one</source>
        <translation>Оставить этот</translation>
    </message>
    <message>
        <source>Keep this text and delete the other one</source>
        <translation>Оставить этот текст и удалить другой</translation>
    </message>
    <message>
        <source>Keep the other text and delete this one</source>
        <translation>Оставить другой текст и удалить этот</translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation>Оставить оба</translation>
    </message>
    <message>
        <source>Keep both texts as notes</source>
        <translation>Оставить оба текста как заметки</translation>
    </message>
    <message>
        <source>Reading positions from other devices</source>
        <translation>Места чтения с других устройств</translation>
    </message>
    <message>
        <source>Go there</source>
        <translation>Перейти туда</translation>
    </message>
    <message>
        <source>Move to the other device&apos;s reading position</source>
        <translation>Перейти к месту чтения с другого устройства</translation>
    </message>
    <message>
        <source>Stay here</source>
        <translation>Остаться здесь</translation>
    </message>
    <message>
        <source>Keep this device&apos;s reading position</source>
        <translation>Сохранить место чтения этого устройства</translation>
    </message>
    <message>
        <source>What resolving did</source>
        <translation>Результат решения</translation>
    </message>
    <message>
        <source>{book}, page {page}: {text}</source>
        <translation>{book}, с. {page}: {text}</translation>
    </message>
    <message>
        <source>{book}: {where}</source>
        <translation>{book}: {where}</translation>
    </message>
    <message>
        <source>Nothing to resolve.</source>
        <translation>Решать нечего.</translation>
    </message>
    <message>
        <source>This could not be done: {reason}</source>
        <translation>Не удалось выполнить: {reason}</translation>
    </message>
    <message>
        <source>The other text was deleted.</source>
        <translation>Другой текст удалён.</translation>
    </message>
    <message>
        <source>Both texts stay as notes.</source>
        <translation>Оба текста остаются заметками.</translation>
    </message>
    <message>
        <source>“{book}” opens at the other device&apos;s position now.</source>
        <translation>«{book}» теперь откроется на месте с другого устройства.</translation>
    </message>
    <message>
        <source>“{book}” stays at this device&apos;s position.</source>
        <translation>«{book}» остаётся на месте этого устройства.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <extracomment>The part of `finish`&apos;s time each request of the exit&apos;s sync may take.</extracomment>
        <translation>Синхронизация…</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Вход не выполнен</translation>
    </message>
    <message>
        <source>Offline: will sync when the server answers</source>
        <translation>Нет связи: синхронизация, когда сервер ответит</translation>
    </message>
    <message>
        <source>Sync stopped: {cause}</source>
        <translation>Синхронизация остановлена: {cause}</translation>
    </message>
    <message>
        <source>Notes edited on two devices, to resolve: {count}</source>
        <translation>Заметки, изменённые на двух устройствах, к решению: {count}</translation>
    </message>
    <message>
        <source>Reading positions from other devices, to answer: {count}</source>
        <translation>Места чтения с других устройств, ждущие ответа: {count}</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Ещё не синхронизировано</translation>
    </message>
    <message>
        <source>Synced at {time}</source>
        <translation>Синхронизировано в {time}</translation>
    </message>
    <message>
        <source>Sync status</source>
        <extracomment>asks whether to let a sync delete (tests replace it)</extracomment>
        <translation>Состояние синхронизации</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Синхронизировать</translation>
    </message>
    <message>
        <source>Sync with the library server now</source>
        <translation>Синхронизировать с сервером библиотеки сейчас</translation>
    </message>
    <message>
        <source>Resolve…</source>
        <translation>Решить…</translation>
    </message>
    <message>
        <source>Resolve notes edited on two devices and reading positions</source>
        <translation>Решить судьбу заметок, изменённых на двух устройствах, и мест чтения</translation>
    </message>
    <message>
        <source>Allow deletions…</source>
        <translation>Разрешить удаление…</translation>
    </message>
    <message>
        <source>Let the held sync delete annotations</source>
        <translation>Разрешить остановленной синхронизации удалить аннотации</translation>
    </message>
    <message>
        <source>Allow deletions</source>
        <translation>Разрешить удаление</translation>
    </message>
    <message>
        <source>The sync stopped: {cause}

Delete them anyway?</source>
        <translation>Синхронизация остановлена: {cause}

Всё равно удалить?</translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation>Син&amp;хронизировать</translation>
    </message>
    <message>
        <source>&amp;Resolve sync conflicts…</source>
        <translation>&amp;Решить конфликты синхронизации…</translation>
    </message>
    <message>
        <source>Books on your other &amp;devices…</source>
        <translation>Книги на других &amp;устройствах…</translation>
    </message>
    <message>
        <source>Nobody is signed in to a library server, so there is nothing to sync.</source>
        <translation>Никто не вошёл на сервер библиотеки, поэтому синхронизировать нечего.</translation>
    </message>
    <message>
        <source>Sign in on the Account page of the settings; the sync then starts by itself.</source>
        <translation>Войдите на странице «Учётная запись» в настройках; после этого синхронизация начнётся сама.</translation>
    </message>
    <message>
        <source>Sign in…</source>
        <translation>Войти…</translation>
    </message>
    <message>
        <source>About Mutolaa</source>
        <translation>О программе Mutolaa</translation>
    </message>
    <message>
        <source>Mutolaa {version}</source>
        <translation>Mutolaa {version}</translation>
    </message>
    <message>
        <source>An offline-first e-library reader.</source>
        <translation>Программа для чтения электронной библиотеки, работающая без интернета.</translation>
    </message>
    <message>
        <source>Licence: {licence} (the GNU Affero General Public License, version 3 or later).</source>
        <translation>Лицензия: {licence} (GNU Affero General Public License версии 3 или более поздней).</translation>
    </message>
    <message>
        <source>Library folder: {folder}</source>
        <translation>Папка библиотеки: {folder}</translation>
    </message>
    <message>
        <source>Log folder: {folder}</source>
        <translation>Папка журналов: {folder}</translation>
    </message>
    <message>
        <source>This address is not encrypted (http://): the password would cross the network in clear. Use https:// unless the server is on this computer or your own network.</source>
        <translation>Этот адрес не зашифрован (http://): пароль пойдёт по сети открытым текстом. Используйте https://, если сервер не на этом компьютере и не в вашей сети.</translation>
    </message>
    <message>
        <source>The password would not be encrypted</source>
        <translation>Пароль не будет зашифрован</translation>
    </message>
    <message>
        <source>Add a person</source>
        <translation>Добавить человека</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Имя:</translation>
    </message>
    <message>
        <source>PIN (4 to 8 digits, optional):</source>
        <translation>PIN-код (4–8 цифр, необязательно):</translation>
    </message>
    <message>
        <source>The PIN again:</source>
        <translation>PIN-код ещё раз:</translation>
    </message>
    <message>
        <source>PIN of the administrator, {name}:</source>
        <translation>PIN-код администратора ({name}):</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>PIN-коды не совпадают.</translation>
    </message>
    <message>
        <source>Type the administrator&apos;s PIN.</source>
        <translation>Введите PIN-код администратора.</translation>
    </message>
    <message>
        <source>Who is reading? — Mutolaa</source>
        <translation>Кто читает? — Mutolaa</translation>
    </message>
    <message>
        <source>Who is reading?</source>
        <translation>Кто читает?</translation>
    </message>
    <message>
        <source>Add a person…</source>
        <translation>Добавить человека…</translation>
    </message>
    <message>
        <source>The people could not be read: {reason}</source>
        <translation>Не удалось прочитать список людей: {reason}</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN-код</translation>
    </message>
    <message>
        <source>PIN of {name}:</source>
        <translation>PIN-код для {name}:</translation>
    </message>
    <message>
        <source>Type the PIN.</source>
        <translation>Введите PIN-код.</translation>
    </message>
    <message>
        <source>{name}, protected by a PIN</source>
        <translation>{name}, защищён PIN-кодом</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Показать подробности...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Скрыть подробности...</translation>
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
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Save All</source>
        <translation>Сохранить все</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Да</translation>
    </message>
    <message>
        <source>Yes to &amp;All</source>
        <translation>Да для &amp;всех</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Нет</translation>
    </message>
    <message>
        <source>N&amp;o to All</source>
        <translation>Н&amp;ет для всех</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Прервать</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Пропустить</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Не сохранять</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Справка</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Применить</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Сбросить</translation>
    </message>
    <message>
        <source>Restore Defaults</source>
        <translation>Восстановить значения по умолчанию</translation>
    </message>
</context>
</TS>
