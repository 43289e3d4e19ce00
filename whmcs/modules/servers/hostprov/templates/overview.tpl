{* hostprov: the order as the provider sees it, on the service's overview page. *}
{if $hostprov.error}
    <div class="alert alert-warning">{$hostprov.error|escape}</div>
{else}
    <table class="table table-sm">
        <tr><th>Order</th><td>{$hostprov.order_id|escape}</td></tr>
        {if $hostprov.status}<tr><th>Status</th><td>{$hostprov.status|escape}</td></tr>{/if}
        {foreach $hostprov.details as $name => $value}
            <tr><th>{$name|escape}</th><td>{$value|escape}</td></tr>
        {/foreach}
    </table>
{/if}
