/**
 * @module EHR narrative (FHIR `text.div`, XHTML written by another system) rendered safely. Plain
 * text is always rendered by React as text; markup goes through DOMPurify first, allowing only
 * the formatting FHIR narrative may use (no script, no event handlers, no styles, no links out,
 * no images), and the strict CSP is the second wall behind it.
 */
import DOMPurify from 'dompurify';
import type { ReactNode } from 'react';

const allowedTags = [
  'div',
  'p',
  'br',
  'span',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'small',
  'sub',
  'sup',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
];

export function sanitizeNarrative(html: string): string {
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS: allowedTags,
    ALLOWED_ATTR: ['colspan', 'rowspan'],
    KEEP_CONTENT: true,
  });
}

export function SafeNarrative(props: { readonly html: string; readonly label?: string }): ReactNode {
  return (
    <div
      className="narrative"
      {...(props.label !== undefined ? { 'aria-label': props.label } : {})}
      // Sanitised just above by DOMPurify with an allow-list; see the module comment.
      dangerouslySetInnerHTML={{ __html: sanitizeNarrative(props.html) }}
    />
  );
}
