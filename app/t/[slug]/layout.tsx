import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { TenantSwitcher } from "@/components/workspace/tenant-switcher";
import { membershipsOf } from "@/server/auth/memberships";
import { requireUser } from "@/server/auth/session";
import { getSystemDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

/**
 * Every page of a workspace: signed in, and a member of this workspace — checked
 * here on the server. A workspace you do not belong to looks like one that does not exist.
 */
export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requireUser(`/t/${slug}`);
  const memberships = await membershipsOf(getSystemDb(), user.id);
  if (!memberships.some((membership) => membership.tenant.slug === slug)) notFound();
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <nav className="flex items-center gap-3" aria-label="Workspace">
          <TenantSwitcher current={slug} memberships={memberships} />
          <Link href={`/t/${slug}/inbox`} className="rounded-lg px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800">
            Inbox
          </Link>
          <Link href={`/t/${slug}`} className="rounded-lg px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800">
            Team
          </Link>
        </nav>
        <div className="flex items-center gap-3 text-sm">
          <span className="text-slate-600 dark:text-slate-400" data-testid="signed-in-as">
            {user.name} · {user.email}
          </span>
          <Link href="/sign-out" className="rounded-lg px-3 py-1.5 font-medium hover:bg-slate-100 dark:hover:bg-slate-800">
            Sign out
          </Link>
        </div>
      </header>
      <div className="flex-1">{children}</div>
    </div>
  );
}
