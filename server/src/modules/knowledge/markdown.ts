// Articles are written in Markdown by admins and read by anyone: rendered with markdown-it with raw
// HTML off (it is escaped, not passed through) and its link check on (javascript:, vbscript:,
// file: and non-image data: targets are refused), so the result is safe to insert into a page.
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

// Links leave the help centre or the widget: a new tab that gets no handle on the page opening it.
const renderLinkOpen = markdown.renderer.rules.link_open;
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  token?.attrSet('target', '_blank');
  token?.attrSet('rel', 'noopener noreferrer nofollow');
  return renderLinkOpen
    ? renderLinkOpen(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};

export function renderArticle(body: string): string {
  return markdown.render(body);
}

export const escapeHtml: (text: string) => string = markdown.utils.escapeHtml;
