import { redirect } from "next/navigation";

/** A workspace's home is its inbox, for every role (the team list is under /team). */
export default async function WorkspaceHome({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  redirect(`/t/${slug}/inbox`);
}
