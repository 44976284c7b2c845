import { Component, type ReactNode } from 'react';

/**
 * A page that fails to render says so in its place; the sidebar and the other pages keep working.
 * The error itself stays out of the page (it may quote data); the browser's console has it.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="card warn" role="alert">
        <p>This page could not be shown. Another page may still work; reloading the console usually helps.</p>
        <div className="row">
          <button type="button" className="button" onClick={() => this.setState({ failed: false })}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}
