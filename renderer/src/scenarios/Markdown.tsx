import ReactMarkdown, { type Components } from 'react-markdown';

/*
 * Markdown from a mesh (scenario briefings, instructions, hints) is untrusted: react-markdown
 * turns it into React elements — never an HTML string — and raw HTML in it is dropped
 * (`skipHtml`). Links keep their text but cannot navigate the app away: the app is offline
 * and a workshop mesh comes from a stranger; images are not loaded (the CSP would refuse
 * them anyway) and show their alt text.
 */
const components: Components = {
  a: ({ children, href }) => (
    <span className="md-link" title={href}>
      {children}
    </span>
  ),
  img: ({ alt }) => <span className="md-image">[{alt ?? 'image'}]</span>,
};

export function Markdown({ text, className }: { readonly text: string; readonly className?: string }) {
  return (
    <div className={`markdown${className ? ` ${className}` : ''}`}>
      <ReactMarkdown skipHtml components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
