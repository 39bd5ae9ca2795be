"use client";

import Link from "next/link";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="empty" role="alert">
      <span className="badge badge-bad">Error</span>
      <h1>Something went wrong</h1>
      <p>
        {error.digest
          ? `The server could not render this page (reference ${error.digest}). `
          : `${error.message} `}
        The <Link href="/status">status page</Link> shows whether the database and the chain are up.
      </p>
      <button type="button" className="btn btn-ghost btn-sm" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
