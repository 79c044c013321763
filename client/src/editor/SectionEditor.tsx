import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { editorExtensions } from '@charter/shared/editor';
import { CONTENT_FIELD, type PresenceUser } from '@charter/shared/collab';
import { t } from '../i18n';
import type { CollabConnection } from './collab';

interface SectionEditorProps {
  conn: CollabConnection;
  user: PresenceUser;
  editable: boolean;
  label: string;
}

/**
 * The live editor of one section: the shared extensions, bound to the section's Yjs document,
 * with everyone's caret. Mounted only after the first sync, so the editor never starts from an
 * empty local document (which would add a stray empty paragraph to the shared text).
 */
export default function SectionEditor({ conn, user, editable, label }: SectionEditorProps) {
  const editor = useEditor(
    {
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      editable,
      extensions: [
        ...editorExtensions(),
        Collaboration.configure({ document: conn.doc, field: CONTENT_FIELD }),
        CollaborationCaret.configure({ provider: conn.provider, user }),
      ],
      editorProps: {
        attributes: {
          class: 'doc editor-surface',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': label,
          spellcheck: 'true',
        },
      },
    },
    [conn],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
    editor?.view.dom.setAttribute('aria-readonly', editable ? 'false' : 'true');
  }, [editor, editable]);

  useEffect(() => {
    editor?.view.dom.setAttribute('aria-label', label);
  }, [editor, label]);

  return (
    <div className={`editor${editable ? '' : ' editor--readonly'}`}>
      {editable ? <Toolbar editor={editor} /> : null}
      <EditorContent editor={editor} />
    </div>
  );
}

function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      link: e.isActive('link'),
      href: (e.getAttributes('link').href as string | undefined) ?? '',
    }),
  });
  const [linkOpen, setLinkOpen] = useState(false);
  const [href, setHref] = useState('');

  const button = (key: string, label: string, active: boolean, run: () => void, text: ReactNode) => (
    <button
      key={key}
      type="button"
      className={`toolbar__button${active ? ' is-active' : ''}`}
      aria-pressed={active}
      aria-label={label}
      title={label}
      onMouseDown={(e) => e.preventDefault()}
      onClick={run}
    >
      <span aria-hidden="true">{text}</span>
    </button>
  );

  const chain = () => editor.chain().focus();

  const applyLink = (e: FormEvent) => {
    e.preventDefault();
    const value = href.trim();
    if (!value) chain().extendMarkRange('link').unsetLink().run();
    else {
      const url = /^(https?:|mailto:)/i.test(value) ? value : value.includes('@') ? `mailto:${value}` : `https://${value}`;
      chain().extendMarkRange('link').setLink({ href: url }).run();
    }
    setLinkOpen(false);
  };

  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
        {button('b', t('editor.bold'), state.bold, () => chain().toggleBold().run(), 'B')}
        {button('i', t('editor.italic'), state.italic, () => chain().toggleItalic().run(), 'I')}
        {button('h2', t('editor.heading'), state.h2, () => chain().toggleHeading({ level: 2 }).run(), 'H2')}
        {button('h3', t('editor.subheading'), state.h3, () => chain().toggleHeading({ level: 3 }).run(), 'H3')}
        {button('ul', t('editor.bulletList'), state.bullet, () => chain().toggleBulletList().run(), ICONS.bullet)}
        {button('ol', t('editor.orderedList'), state.ordered, () => chain().toggleOrderedList().run(), ICONS.ordered)}
        {button('q', t('editor.quote'), state.quote, () => chain().toggleBlockquote().run(), ICONS.quote)}
        {button(
          'a',
          t('editor.link'),
          state.link || linkOpen,
          () => {
            setHref(state.href);
            setLinkOpen((v) => !v);
          },
          ICONS.link,
        )}
      </div>
      {linkOpen ? (
        <form className="link-form" onSubmit={applyLink}>
          <label htmlFor="link-href">{t('editor.linkAddress')}</label>
          <input
            id="link-href"
            type="url"
            inputMode="url"
            value={href}
            autoFocus
            placeholder="https://"
            onChange={(e) => setHref(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setLinkOpen(false);
                editor.commands.focus();
              }
            }}
          />
          <button type="submit" className="button button--small button--primary">
            {t('editor.linkApply')}
          </button>
          {state.link ? (
            <button
              type="button"
              className="button button--small button--secondary"
              onClick={() => {
                chain().extendMarkRange('link').unsetLink().run();
                setLinkOpen(false);
              }}
            >
              {t('editor.linkRemove')}
            </button>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}

const svg = (path: ReactNode) => (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    {path}
  </svg>
);

const ICONS = {
  bullet: svg(
    <>
      <path d="M9 6h11M9 12h11M9 18h11" />
      <circle cx="4" cy="6" r="1.2" fill="currentColor" />
      <circle cx="4" cy="12" r="1.2" fill="currentColor" />
      <circle cx="4" cy="18" r="1.2" fill="currentColor" />
    </>,
  ),
  ordered: svg(
    <>
      <path d="M10 6h10M10 12h10M10 18h10" />
      <path d="M4 4.5h1.5V9M4 9h3M4 14.5c.5-1 2.8-1 2.8.6 0 1.2-2.8 2-2.8 3.4h3" strokeWidth="1.4" />
    </>,
  ),
  quote: svg(<path d="M7 17c-2 0-3-1.5-3-3.5C4 10 6 7.5 9 7M17 17c-2 0-3-1.5-3-3.5 0-3.5 2-6 5-6.5" />),
  link: svg(
    <>
      <path d="M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1.2 1.2" />
      <path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1.2-1.2" />
    </>,
  ),
};
