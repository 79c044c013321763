import type { ReactNode } from 'react';
import type { DocNode } from '../api/types';

const SAFE_LINK = /^(https?:|mailto:)/i;

function renderMarks(node: DocNode, key: number): ReactNode {
  let out: ReactNode = node.text ?? '';
  for (const mark of node.marks ?? []) {
    if (mark.type === 'bold') out = <strong>{out}</strong>;
    else if (mark.type === 'italic') out = <em>{out}</em>;
    else if (mark.type === 'link') {
      const href = typeof mark.attrs?.href === 'string' ? mark.attrs.href.trim() : '';
      // Only web and mail links become links; anything else (javascript:, data:) stays plain text.
      if (SAFE_LINK.test(href)) {
        out = (
          <a href={href} rel="noopener noreferrer nofollow" target="_blank">
            {out}
          </a>
        );
      }
    }
  }
  return <span key={key}>{out}</span>;
}

function renderChildren(node: DocNode, headingOffset: number): ReactNode[] {
  return (node.content ?? []).map((child, i) => renderNode(child, i, headingOffset));
}

function renderNode(node: DocNode, key: number, headingOffset: number): ReactNode {
  switch (node.type) {
    case 'doc':
      return <div key={key}>{renderChildren(node, headingOffset)}</div>;
    case 'paragraph':
      return <p key={key}>{renderChildren(node, headingOffset)}</p>;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level) || 1) + headingOffset);
      const Tag = `h${level}` as 'h1';
      return <Tag key={key}>{renderChildren(node, headingOffset)}</Tag>;
    }
    case 'bulletList':
      return <ul key={key}>{renderChildren(node, headingOffset)}</ul>;
    case 'orderedList': {
      const start = Number(node.attrs?.start);
      return (
        <ol key={key} start={Number.isFinite(start) && start !== 1 ? start : undefined}>
          {renderChildren(node, headingOffset)}
        </ol>
      );
    }
    case 'listItem':
      return <li key={key}>{renderChildren(node, headingOffset)}</li>;
    case 'blockquote':
      return <blockquote key={key}>{renderChildren(node, headingOffset)}</blockquote>;
    case 'hardBreak':
      return <br key={key} />;
    case 'text':
      return renderMarks(node, key);
    default:
      // Unknown nodes keep their text so that nothing written silently disappears.
      return <span key={key}>{renderChildren(node, headingOffset)}</span>;
  }
}

/**
 * Renders frozen ProseMirror JSON of the shared schema as plain React elements: every piece of
 * text is a text node (never HTML), so the version page needs neither the editor nor yjs.
 * `headingOffset` shifts content headings below the section title (level 1 → h3 with offset 2).
 */
export function DocRenderer({ doc, headingOffset = 2 }: { doc: DocNode; headingOffset?: number }) {
  return <div className="doc">{renderChildren(doc, headingOffset)}</div>;
}
